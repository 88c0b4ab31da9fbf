package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.auth.ApiTokens;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /staff/api-tokens}: admins create API tokens (name, role, lists, as a staff account) and revoke them. A new
 * token is shown once, on the page that answers the creation, and never again: only its hash is stored.
 */
public final class ApiTokenRoutes implements WebModule {
    private final ApiTokens tokens;
    private final ListService lists;

    public ApiTokenRoutes(ApiTokens tokens, ListService lists) {
        this.tokens = tokens;
        this.lists = lists;
    }

    @Override
    public List<MenuLink> menu() {
        return List.of(new MenuLink("page.layout.apiTokens", "/staff/api-tokens", EnumSet.of(StaffRole.ADMIN)));
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/api-tokens", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            show(web, ctx, "", null);
        });
        r.post("/staff/api-tokens", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            StaffRole role;
            try {
                role = StaffRole.valueOf(Optional.ofNullable(ctx.formParam("role")).orElse(""));
            } catch (IllegalArgumentException e) {
                show(web, ctx, web.texts(ctx).get("page.staff.accounts.chooseRole"), null);
                return;
            }
            List<Long> listIds = ctx.formParams("lists").stream().map(Long::parseLong).toList();
            if (role != StaffRole.ADMIN && listIds.isEmpty()) {
                show(web, ctx, web.texts(ctx).get("page.staff.tokens.chooseLists"), null);
                return;
            }
            try {
                ApiTokens.Created created = tokens.create(ctx.formParam("name"), role, listIds,
                        StaffAccess.actor(web, ctx));
                // Rendered, not redirected: the secret must not pass through a flash message or a URL.
                show(web, ctx, "", created);
            } catch (ApiTokens.NameTakenException e) {
                show(web, ctx, web.texts(ctx).get("page.staff.tokens.taken"), null);
            } catch (ApiTokens.BadNameException e) {
                show(web, ctx, e.getMessage(), null);
            }
        });
        r.post("/staff/api-tokens/{id}/revoke", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            long id;
            try {
                id = Long.parseLong(ctx.pathParam("id"));
            } catch (NumberFormatException e) {
                throw new io.javalin.http.NotFoundResponse();
            }
            if (tokens.revoke(id, StaffAccess.actor(web, ctx))) {
                web.flash(ctx, web.texts(ctx).get("page.staff.tokens.revoked"));
            }
            ctx.redirect("/staff/api-tokens");
        });
    }

    private void show(WebSupport web, Context ctx, String error, ApiTokens.Created created) {
        web.render(ctx, "staff/api-tokens.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.layout.apiTokens")),
                "tokens", tokens.all(), "lists", lists.all(), "roles", Arrays.asList(StaffRole.values()),
                "error", error, "created", Optional.ofNullable(created)));
    }
}
