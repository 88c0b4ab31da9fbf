package jp.kitamoto.lists.web.csv;

import jp.kitamoto.lists.text.Texts;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a row of a CSV import does what it does, kept as a catalogue key ({@code page.import.reason.*}) and its
 * values rather than as a sentence: the plan is stored between the dry run and the commit and may be read by a
 * staff member whose pages are in the other language (or on another node), so the words are chosen when the row
 * is shown ({@link #text}). Stored in {@code web_import_rows.reason} as {@code key?name=value&...}, values
 * URL-encoded, which needs no migration of that text column.
 */
public record ImportReason(String key, Map<String, String> values) {
    private static final String PREFIX = "page.import.reason.";

    public ImportReason {
        values = Map.copyOf(values);
    }

    /** The reason {@code page.import.reason.<name>} with its values as name/value pairs. */
    static ImportReason of(String name, Object... namesAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(String.valueOf(namesAndValues[i]), String.valueOf(namesAndValues[i + 1]));
        }
        return new ImportReason(PREFIX + name, values);
    }

    /** The reason in the reader's language. */
    public String text(Texts t) {
        if (!key.startsWith(PREFIX)) {
            return key; // a sentence stored by an older version, shown as it was written
        }
        return t.format(key, new LinkedHashMap<String, Object>(values));
    }

    /** The form kept in the database. */
    String stored() {
        List<String> pairs = new ArrayList<>();
        values.forEach((n, v) -> pairs.add(encode(n) + "=" + encode(v)));
        return pairs.isEmpty() ? key : key + "?" + String.join("&", pairs);
    }

    /** Reads {@link #stored()}; any other text (a plan written before reasons were keys) is kept as its sentence. */
    static ImportReason read(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return new ImportReason(stored == null ? "" : stored, Map.of());
        }
        int q = stored.indexOf('?');
        if (q < 0) {
            return new ImportReason(stored, Map.of());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : stored.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return new ImportReason(stored.substring(0, q), values);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
