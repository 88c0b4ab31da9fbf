package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.LoginThrottle;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.http.StaffSessions;

import java.util.Map;
import java.util.Optional;

/** Sign-in and sign-out of staff. */
public final class AuthRoutes implements WebModule {
    private final StaffAccounts accounts;
    private final LoginThrottle throttle;
    private final StaffSessions sessions;

    public AuthRoutes(StaffAccounts accounts, LoginThrottle throttle, StaffSessions sessions) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/login", ctx -> web.render(ctx, "staff/login.jte",
                Map.of("page", web.page(ctx, web.texts(ctx).get("page.staff.login.title")), "error", "", "username", "")));
        r.post("/staff/login", ctx -> {
            String username = Optional.ofNullable(ctx.formParam("username")).orElse("").strip();
            String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
            String error;
            if (!throttle.allowed(username, ctx.ip())) {
                error = web.texts(ctx).get("page.staff.login.throttled");
                ctx.status(HttpStatus.TOO_MANY_REQUESTS);
                web.audit(ctx, "staff.login-throttled", null, username, "");
            } else {
                Optional<StaffUser> user = accounts.authenticate(username, password);
                if (user.isPresent()) {
                    throttle.succeeded(username);
                    sessions.signIn(ctx, user.get());
                    web.audit(ctx, "staff.login", null, username, "");
                    ctx.redirect("/staff");
                    return;
                }
                throttle.failed(username, ctx.ip());
                web.audit(ctx, "staff.login-failed", null, username, "");
                error = web.texts(ctx).get("page.staff.login.wrong");
                ctx.status(HttpStatus.UNAUTHORIZED);
            }
            web.render(ctx, "staff/login.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.staff.login.title")), "error", error,
                    "username", username));
        });
        r.post("/staff/logout", ctx -> {
            web.audit(ctx, "staff.logout", null, web.staff(ctx).map(StaffUser::username).orElse(""), "");
            sessions.signOut(ctx);
            ctx.redirect("/staff/login");
        });
    }
}
