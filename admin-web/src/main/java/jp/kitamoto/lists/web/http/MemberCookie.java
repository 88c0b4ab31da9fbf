package jp.kitamoto.lists.web.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.util.Optional;

/**
 * The member's sign-in cookie, {@value #NAME}: separate from the staff session cookie, so that signing in or out on
 * one never touches the other. HttpOnly (no script reads it; we have none anyway), Secure over https, and
 * SameSite=Lax: a link from a mail program still opens the page signed in, while a form posted from another site
 * carries no cookie (CSRF tokens guard every POST besides).
 */
public final class MemberCookie {
    public static final String NAME = "KITAMOTO_MEMBER";
    private final boolean secure;

    public MemberCookie(boolean secure) {
        this.secure = secure;
    }

    public Optional<String> read(Context ctx) {
        return Optional.ofNullable(ctx.cookie(NAME)).filter(v -> !v.isBlank());
    }

    /** A browser-session cookie (no Max-Age): the server ends the session anyway (MemberSessions.LIFETIME). */
    public void set(Context ctx, String token) {
        ctx.cookie(new Cookie(NAME, token, "/", -1, secure, true, null, SameSite.LAX));
    }

    public void clear(Context ctx) {
        ctx.cookie(new Cookie(NAME, "", "/", 0, secure, true, null, SameSite.LAX));
    }

    /** A fresh CSRF token for the browser that just signed in (its old one may have been seen before). */
    public static void freshCsrf(Context ctx) {
        Csrf.reset(ctx);
    }
}
