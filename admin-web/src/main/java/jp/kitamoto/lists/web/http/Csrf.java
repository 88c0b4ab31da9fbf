package jp.kitamoto.lists.web.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Synchroniser-token CSRF protection: one random token per session, sent back by every form as {@code _csrf} (or the
 * {@code X-CSRF-Token} header) and compared in constant time before any non-GET request reaches its handler.
 */
public final class Csrf {
    public static final String FIELD = "_csrf";
    private static final String SESSION_KEY = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    public static String token(Context ctx) {
        String t = ctx.sessionAttribute(SESSION_KEY);
        if (t == null) {
            byte[] b = new byte[24];
            RANDOM.nextBytes(b);
            t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            ctx.sessionAttribute(SESSION_KEY, t);
        }
        return t;
    }

    /** Forgets this session's token, so that the next form gets a fresh one (at sign-in). */
    static void reset(Context ctx) {
        ctx.sessionAttribute(SESSION_KEY, null);
    }

    public static boolean isSafeMethod(HandlerType m) {
        return m == HandlerType.GET || m == HandlerType.HEAD || m == HandlerType.OPTIONS;
    }

    /**
     * RFC 8058 section 3.1: the one-click POST to {@code /u/<token>} comes from a mail provider, not from our form, so
     * it cannot carry a session token; the unguessable per-recipient token in the URL is its authority.
     * The REST API ({@code /api/}) authenticates only by an {@code Authorization: Bearer} token, never by the session
     * cookie, and a browser cannot be made to send that header cross-site, so there is nothing to forge.
     */
    public static boolean isExempt(String path) {
        return path.startsWith("/u/") || path.startsWith("/api/");
    }

    /** Whether the request carries this session's token. Never creates a session. */
    public static boolean valid(Context ctx) {
        var session = ctx.req().getSession(false);
        if (session == null) {
            return false;
        }
        Object expected = session.getAttribute(SESSION_KEY);
        String given = ctx.header("X-CSRF-Token");
        if (given == null) {
            given = ctx.formParam(FIELD);
        }
        if (!(expected instanceof String e) || given == null) {
            return false;
        }
        return MessageDigest.isEqual(e.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
