package jp.kitamoto.lists.text;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message catalogue: every text the server writes to people (system mail, replies, notices' fixed text, and,
 * as they move here, page texts) lives in {@code jp/kitamoto/lists/text/messages*.properties}, one file per
 * language: {@code messages.properties} is Japanese (the default), {@code messages_en.properties} English.
 *
 * <p>Placeholders are named, {@code {list}}, not MessageFormat's {@code {0}}: a translator sees what goes where, and
 * apostrophes in English need no escaping. A placeholder without a value, or a value for no placeholder, is a
 * programming error and throws, so a test that renders a text catches a misspelt name.
 *
 * <pre>
 * Texts ja = Texts.of(Texts.JAPANESE);
 * String subject = ja.format("mail.held.subject", "tag", list.subjectTag(), "post", postId);
 * </pre>
 *
 * <p>Lookups do not fall back through the JVM's default locale (a server started with {@code LANG=en_US} still
 * writes Japanese unless English is asked for); a key missing from a language's file falls back to Japanese.
 */
public final class Texts {
    public static final Locale JAPANESE = Locale.JAPANESE;
    public static final Locale ENGLISH = Locale.ENGLISH;
    static final String BUNDLE = "jp.kitamoto.lists.text.messages";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");
    private static final ResourceBundle.Control NO_DEFAULT_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final Map<Locale, Texts> CACHE = new ConcurrentHashMap<>();

    private final Locale locale;
    private final ResourceBundle bundle;

    private Texts(Locale locale, ResourceBundle bundle) {
        this.locale = locale;
        this.bundle = bundle;
    }

    /** The catalogue of a language; anything but English is Japanese. */
    public static Texts of(Locale locale) {
        Locale language = locale != null && locale.getLanguage().equals(ENGLISH.getLanguage()) ? ENGLISH : JAPANESE;
        return CACHE.computeIfAbsent(language, l -> new Texts(l, ResourceBundle.getBundle(BUNDLE,
                l == JAPANESE ? Locale.ROOT : l, Texts.class.getClassLoader(), NO_DEFAULT_LOCALE)));
    }

    /** The Japanese catalogue, the server's default language. */
    public static Texts japanese() {
        return of(JAPANESE);
    }

    public Locale locale() {
        return locale;
    }

    /** The text of a key with no placeholders. */
    public String get(String key) {
        return format(key, Map.of());
    }

    /** The text of a key with its placeholders filled from name/value pairs: {@code format(k, "list", name)}. */
    public String format(String key, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs: " + key);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return format(key, values);
    }

    /** The text of a key with its placeholders filled from a map. */
    public String format(String key, Map<String, ?> values) {
        String pattern = raw(key);
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder(pattern.length() + 64);
        int used = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("text " + key + " needs a value for {" + name + "}");
            }
            Object value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
            used++;
        }
        m.appendTail(out);
        if (used == 0 && !values.isEmpty() || !placeholders(pattern).containsAll(values.keySet())) {
            throw new IllegalArgumentException("text " + key + " has no placeholder for some of " + values.keySet());
        }
        return out.toString();
    }

    /** The pattern as written in the catalogue, placeholders unfilled. */
    public String raw(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no text " + key + " in the " + locale + " catalogue", e);
        }
    }

    /** Whether the catalogue has this key (in this language or, failing that, in Japanese). */
    public boolean has(String key) {
        return bundle.containsKey(key);
    }

    static java.util.Set<String> placeholders(String pattern) {
        java.util.Set<String> names = new java.util.HashSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
