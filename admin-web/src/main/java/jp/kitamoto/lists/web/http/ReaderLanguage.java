package jp.kitamoto.lists.web.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import jp.kitamoto.lists.text.Texts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which language a reader gets (#12): the one they chose with the switch on every page (a cookie, so no login is
 * needed and the choice outlives the session), else the first of Japanese and English in their browser's
 * {@code Accept-Language}, else Japanese. Only these two exist; anything else is Japanese, the server's default.
 */
public final class ReaderLanguage {
    /** The cookie that remembers the switch: {@code ja} or {@code en}. */
    public static final String COOKIE = "kitamoto_lang";
    /** The switch's route: {@code GET /language?to=en&back=/lists/bunka} sets the cookie and goes back. */
    public static final String PATH = "/language";
    private static final int ONE_YEAR = 365 * 24 * 3600;
    private static final List<Locale> OFFERED = List.of(Texts.JAPANESE, Texts.ENGLISH);

    private ReaderLanguage() {
    }

    /** The catalogue of this request's reader. */
    public static Texts of(Context ctx) {
        return Texts.of(chosen(ctx).or(() -> fromBrowser(ctx.header("Accept-Language"))).orElse(Texts.JAPANESE));
    }

    private static Optional<Locale> chosen(Context ctx) {
        return Optional.ofNullable(ctx.cookie(COOKIE)).flatMap(ReaderLanguage::offered);
    }

    /** The best of the offered languages in an {@code Accept-Language} header (RFC 9110 section 12.5.4). */
    static Optional<Locale> fromBrowser(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), OFFERED));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code ja} or {@code en} as a locale; anything else is none. */
    public static Optional<Locale> offered(String code) {
        return OFFERED.stream().filter(l -> l.getLanguage().equals(code)).findFirst();
    }

    /**
     * Remembers a reader's choice. Not HttpOnly-sensitive data, but HttpOnly all the same (no script reads it); Lax
     * so that following a link from a mail keeps the language; secure when the site is served over https.
     */
    public static void remember(Context ctx, Locale language, boolean secure) {
        Cookie cookie = new Cookie(COOKIE, language.getLanguage(), "/", ONE_YEAR, secure, true, null, SameSite.LAX);
        ctx.cookie(cookie);
    }

    /** Where to go back after switching: a path of this site only (never another host, so no open redirect). */
    public static String safeBack(String back) {
        if (back == null || !back.startsWith("/") || back.startsWith("//") || back.startsWith("/\\")
                || back.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return back;
    }
}
