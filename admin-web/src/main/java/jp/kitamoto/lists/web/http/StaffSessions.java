package jp.kitamoto.lists.web.http;

import io.javalin.http.Context;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.util.Optional;

/** Which staff member a browser session belongs to: set at sign-in, cleared at sign-out. */
public final class StaffSessions {
    private static final String STAFF_ID = "staffId";

    /** Signs a staff member in, with a new session id (session fixation). */
    public void signIn(Context ctx, StaffUser user) {
        ctx.req().getSession(true);
        ctx.req().changeSessionId();
        ctx.sessionAttribute(STAFF_ID, user.id());
        // A fresh CSRF token for the signed-in session.
        Csrf.reset(ctx);
    }

    public void signOut(Context ctx) {
        var session = ctx.req().getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** The id of the signed-in staff member; never creates a session. */
    public Optional<Long> staffId(Context ctx) {
        var session = ctx.req().getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        return session.getAttribute(STAFF_ID) instanceof Long id ? Optional.of(id) : Optional.empty();
    }
}
