package jp.kitamoto.lists.text;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text not yet put into words: a catalogue key and its values, rendered when somebody reads it, in their language
 * ({@link #in}). What a service decides (a refusal, why a send was missed) is known before anybody reads it, often
 * by a staff member whose pages are in the other language or on another node; keeping the key lets each reader get
 * their own words. A value may be a moment ({@link #time}: the reader's date format) or another key ({@link #text}:
 * a state's label), rendered in the same language.
 *
 * <p>{@link #stored()} is the form kept in a text column, {@code key?name=value&...} with values URL-encoded (a
 * moment as {@code name:time=millis}, a key as {@code name:text=key}); {@link #read} takes it back, and keeps any
 * other text (written before the column held keys) as the sentence it is.
 */
public record CatalogueText(String key, Map<String, Object> values) {

    /** A moment, written as the reader writes dates ({@link JapaneseDates#withTime(java.time.Instant, Texts)}). */
    public record Moment(long epochMillis) {
    }

    public CatalogueText {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The text of {@code key} with its values as name/value pairs. */
    public static CatalogueText of(String key, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs: " + key);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return new CatalogueText(key, values);
    }

    /** A value that is a moment. */
    public static Moment time(java.time.Instant t) {
        return new Moment(t.toEpochMilli());
    }

    /** A value that is itself a catalogue text without values (a state's label). */
    public static CatalogueText text(String key) {
        return new CatalogueText(key, Map.of());
    }

    /** In the reader's language. A text read back from an older row (no key) is shown as it was written. */
    public String in(Texts t) {
        if (!t.has(key)) {
            return key;
        }
        Map<String, Object> rendered = new LinkedHashMap<>();
        values.forEach((name, v) -> rendered.put(name, v instanceof Moment m ? JapaneseDates.withTime(m.epochMillis(), t)
                : v instanceof CatalogueText c ? c.in(t) : v));
        return t.format(key, rendered);
    }

    /** The form kept in the database. */
    public String stored() {
        List<String> pairs = new ArrayList<>();
        values.forEach((name, v) -> pairs.add(v instanceof Moment m ? encode(name) + ":time=" + m.epochMillis()
                : v instanceof CatalogueText c ? encode(name) + ":text=" + encode(c.key())
                : encode(name) + "=" + encode(v == null ? "" : String.valueOf(v))));
        return pairs.isEmpty() ? key : key + "?" + String.join("&", pairs);
    }

    /**
     * Reads {@link #stored()}. Only a text whose key starts with {@code prefix} is read as one; anything else (a
     * sentence stored by an older version, or null) comes back as a text that renders as itself.
     */
    public static CatalogueText read(String stored, String prefix) {
        if (stored == null || !stored.startsWith(prefix)) {
            return new CatalogueText(stored == null ? "" : stored, Map.of());
        }
        int q = stored.indexOf('?');
        if (q < 0) {
            return new CatalogueText(stored, Map.of());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String pair : stored.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(pair.substring(0, eq));
            String value = decode(pair.substring(eq + 1));
            if (name.endsWith(":time")) {
                values.put(name.substring(0, name.length() - 5), new Moment(Long.parseLong(value)));
            } else if (name.endsWith(":text")) {
                values.put(name.substring(0, name.length() - 5), text(value));
            } else {
                values.put(name, value);
            }
        }
        return new CatalogueText(stored.substring(0, q), values);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
