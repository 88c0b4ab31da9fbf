package jp.kitamoto.lists.schedules.web;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffRole;

import java.util.EnumSet;
import java.util.List;

/**
 * The staff pages of the schedules, plugged into admin-web as a {@link WebModule} under {@code /staff/schedules}:
 * the sends ({@link SendPages}: upcoming and missed, calendar, history, send now), the notices ({@link NoticePages})
 * and the calls with their reminders ({@link CallPages}). Who may do what is {@link ScheduleAccess}; how a page is
 * wrapped in admin-web's layout is {@link ScheduleView}. Routes parse, call the schedules services, render.
 */
public final class SchedulePages implements WebModule {
    static final String BASE = "/staff/schedules";

    private final Schedules schedules;

    public SchedulePages(Schedules schedules) {
        this.schedules = schedules;
    }

    @Override
    public List<MenuLink> menu() {
        // Moderators handle held posts only (see ScheduleAccess): no link they could not follow.
        return List.of(new MenuLink("page.layout.schedules", BASE, EnumSet.of(StaffRole.ADMIN, StaffRole.OWNER)));
    }

    @Override
    public void register(RoutesConfig routes, WebSupport support) {
        ScheduleAccess access = new ScheduleAccess(schedules, support);
        ScheduleView view = new ScheduleView(support);
        new SendPages(schedules, support, access, view).register(routes);
        new NoticePages(schedules, support, access, view).register(routes);
        new CallPages(schedules, support, access, view).register(routes);
    }
}
