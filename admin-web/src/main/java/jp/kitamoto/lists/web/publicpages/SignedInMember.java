package jp.kitamoto.lists.web.publicpages;

import io.javalin.http.Context;
import jp.kitamoto.lists.web.http.MemberCookie;
import jp.kitamoto.lists.web.members.MemberSessions;

import java.util.Optional;

/** Which member, if any, is signed in on this request's browser (the member's page and members-only archives). */
public final class SignedInMember {
    private static final String ATTRIBUTE = "signedInMember";
    private final MemberCookie cookie;
    private final MemberSessions sessions;

    public SignedInMember(MemberCookie cookie, MemberSessions sessions) {
        this.cookie = cookie;
        this.sessions = sessions;
    }

    /** The member id of a live session; read once per request. */
    public Optional<Long> id(Context ctx) {
        Optional<Long> cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        Optional<Long> id = cookie.read(ctx).flatMap(sessions::memberOf);
        ctx.attribute(ATTRIBUTE, id);
        return id;
    }

    /** Signs a member in on this browser: a new session and cookie, and a fresh CSRF token. */
    public void signIn(Context ctx, long memberId) {
        cookie.read(ctx).ifPresent(sessions::end);
        cookie.set(ctx, sessions.start(memberId));
        MemberCookie.freshCsrf(ctx);
        ctx.attribute(ATTRIBUTE, Optional.of(memberId));
    }

    public void signOut(Context ctx) {
        cookie.read(ctx).ifPresent(sessions::end);
        cookie.clear(ctx);
        ctx.attribute(ATTRIBUTE, Optional.empty());
    }
}
