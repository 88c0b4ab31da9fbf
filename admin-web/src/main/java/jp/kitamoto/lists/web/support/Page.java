package jp.kitamoto.lists.web.support;

import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.util.List;

/**
 * What every page's layout needs: the title, the signed-in staff member (null on public pages), the CSRF token for
 * its forms, a one-time message from the previous request, the staff menu links added by modules, and the
 * request's message catalogue: a template writes its texts as {@code ${page.t("page.index.title")}}, never inline, so
 * that every page speaks the reader's language (keys in {@code messages*.properties}, section {@code page.}).
 */
public record Page(String title, StaffUser staff, String csrf, String flash, List<WebModule.MenuLink> menu,
                   Texts texts, String path) {

    /** A moment in Japan time as this reader reads it ({@link Labels#time(long, Texts)}). */
    public String time(long epochMillis) {
        return Labels.time(epochMillis, texts);
    }

    /** The text of a page key in the request's language. */
    public String t(String key) {
        return texts.get(key);
    }

    /** The text of a page key with its placeholders filled from name/value pairs. */
    public String t(String key, Object... namesAndValues) {
        return texts.format(key, namesAndValues);
    }

    /**
     * A text whose catalogue entry carries its own markup ({@code <strong>}), written with {@code $unsafe{...}}: the
     * catalogue is ours and trusted, every value is HTML-escaped here, so data can never inject markup.
     */
    public String html(String key, Object... namesAndValues) {
        Object[] escaped = namesAndValues.clone();
        for (int i = 1; i < escaped.length; i += 2) {
            escaped[i] = escape(String.valueOf(escaped[i]));
        }
        return texts.format(key, escaped);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&#34;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The language the switch offers on this page: English on a Japanese page, Japanese on an English one. */
    public String otherLanguage() {
        return english() ? "ja" : "en";
    }

    /** A menu label: a catalogue key ({@code page.…}) in the reader's language, or a module's literal text. */
    public String label(String keyOrText) {
        return keyOrText.startsWith("page.") && texts.has(keyOrText) ? texts.get(keyOrText) : keyOrText;
    }

    /** The switch's link: to the other language, coming back to this page. */
    public String languageLink() {
        return "/language?to=" + otherLanguage() + "&back="
                + java.net.URLEncoder.encode(path == null ? "/" : path, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether this page is in English. */
    public boolean english() {
        return "en".equals(language());
    }

    /** The page's language for {@code <html lang>}.*/
    public String language() {
        return texts.locale().getLanguage();
    }

    public boolean signedIn() {
        return staff != null;
    }

    public boolean hasFlash() {
        return flash != null && !flash.isBlank();
    }
}
