package jp.kitamoto.lists.web.http;

import io.javalin.http.Context;

/** Headers sent with every response. */
public final class SecurityHeaders {
    /**
     * No script at all, styles and images from our own origin only (remote images in archived HTML mail stay blocked
     * even if the sanitiser let one through), forms only to us, and no framing (clickjacking of the staff pages).
     */
    public static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {
    }

    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        // Our URLs carry tokens (/confirm/<token>, /u/<token>): never leak them to another site in a Referer.
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }
}
