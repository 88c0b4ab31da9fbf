package jp.kitamoto.lists.web.support;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A group of pages added to admin-web by another module (for example schedules' notice pages). Register routes under
 * {@code /staff/...} for staff pages: the login check, CSRF check on every non-GET request and security headers
 * already apply to them. Render with {@link WebSupport#render}: a module's jte templates are precompiled in its own
 * jar (jte-maven-plugin, package {@code gg.jte.generated.precompiled}); name them under a folder of their own
 * (e.g. {@code schedules/notices.jte}). jte resolves {@code @template.layout} from template sources at compile time,
 * so another module cannot call admin-web's layout from its templates: render the page body with the module's own
 * template, then wrap it in admin-web's precompiled {@code layout.jte} through {@link WebSupport#render}
 * (see schedules-web's {@code ScheduleView.show}).
 */
public interface WebModule {
    void register(RoutesConfig routes, WebSupport support);

    /** Links for the staff menu: label (Japanese) and path, shown only to the roles given (all by default). */
    default List<MenuLink> menu() {
        return List.of();
    }

    record MenuLink(String label, String path, Set<StaffRole> roles) {
        public MenuLink {
            roles = Set.copyOf(roles);
        }

        /** A link every signed-in staff member sees. */
        public MenuLink(String label, String path) {
            this(label, path, EnumSet.allOf(StaffRole.class));
        }

        public boolean shownTo(StaffUser user) {
            return user != null && roles.contains(user.role());
        }
    }
}
