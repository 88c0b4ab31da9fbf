package jp.kitamoto.lists.search;

import jp.kitamoto.lists.store.ArchiveTextMapper;
import jp.kitamoto.lists.store.ArchiveTextMapper.Hit;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.Dialect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Searches one list's archive for posts whose subject or body contains every word of a query, as a substring (Japanese
 * has no spaces between words), newest first. Who may search which archive is the caller's decision, made by the
 * same check as for reading it.
 */
public final class ArchiveSearch {
    /** Longer queries are cut here: a search box is for a few words, not a page of text. */
    public static final int MAX_QUERY_CHARS = 100;
    public static final int MAX_TERMS = 5;
    /** The trigram indexes (FTS5 trigram, pg_trgm) cannot answer a term shorter than this. */
    static final int TRIGRAM = 3;
    /**
     * A short word with at most this many distinct trigrams beginning with it (a rare word) is looked up through
     * them; a commoner one is found by reading the list's texts newest first, which meets a page of hits quickly.
     * Measured in bench/README.md: a rare 2-character word read the slow way costs a scan of every text.
     */
    static final int MAX_TRIGRAMS = 64;

    private final Database db;

    public ArchiveSearch(Database db) {
        this.db = db;
    }

    /** One page of hits; {@code more} when another page follows. */
    public record Result(List<String> terms, List<Hit> hits, boolean more) {
    }

    /**
     * @param page 0-based
     */
    public Result search(long listId, String query, int page, int pageSize) {
        List<String> terms = terms(query);
        if (terms.isEmpty()) {
            return new Result(terms, List.of(), false);
        }
        List<String> groups = new ArrayList<>();
        List<String> likes = new ArrayList<>();
        List<String> ilikes = new ArrayList<>();
        for (String t : terms) {
            if (db.dialect() != Dialect.SQLITE) {
                // pg_trgm answers LIKE and ILIKE; ILIKE only where case matters (it folds every row's text first).
                (hasCase(t) ? ilikes : likes).add(likePattern(t));
            } else if (t.codePointCount(0, t.length()) >= TRIGRAM) {
                groups.add(phrase(t));
            } else {
                // Shorter than a trigram: narrowed by the trigrams that begin with it, checked exactly by LIKE.
                likes.add(likePattern(t));
                List<String> trigrams = trigramsStartingWith(t);
                if (trigrams.isEmpty()) {
                    return new Result(terms, List.of(), false); // no indexed text holds it anywhere
                }
                if (trigrams.size() <= MAX_TRIGRAMS) {
                    groups.add("(" + String.join(" OR ", trigrams.stream().map(ArchiveSearch::phrase).toList()) + ")");
                }
                // Else a common word: the newest-first LIKE scan meets enough hits soon.
            }
        }
        String match = groups.isEmpty() ? null : String.join(" AND ", groups);
        String m = match;
        int offset = Math.max(0, page) * pageSize;
        List<Hit> found = db.read(s -> s.getMapper(ArchiveTextMapper.class)
                .search(listId, m, likes, ilikes, pageSize + 1, offset));
        boolean more = found.size() > pageSize;
        List<Hit> hits = (more ? found.subList(0, pageSize) : found).stream()
                .map(h -> new Hit(h.postId(), h.sequence(), h.receivedAt(), withoutEnd(h.subject()),
                        withoutEnd(h.body()))).toList();
        return new Result(terms, hits, more);
    }

    /** Whether the term has letters with case (English, Ｆｕｌｌ-width Latin); Japanese has none. */
    static boolean hasCase(String term) {
        return !term.toLowerCase(Locale.ROOT).equals(term.toUpperCase(Locale.ROOT));
    }

    /** The text as it was made, without the line break the index stores after it ({@link ArchiveIndex#END}). */
    private static String withoutEnd(String stored) {
        return stored.endsWith(ArchiveIndex.END) ? stored.substring(0, stored.length() - ArchiveIndex.END.length())
                : stored;
    }

    /** SQLite: the index's trigrams that begin with {@code term} (case-folded as the trigram tokenizer folds). */
    private List<String> trigramsStartingWith(String term) {
        String from = term.toLowerCase(Locale.ROOT);
        String to = from + new String(Character.toChars(Character.MAX_CODE_POINT));
        return db.read(s -> s.getMapper(ArchiveTextMapper.class).findTrigramsBetween(from, to, MAX_TRIGRAMS + 1));
    }

    /** The words of a query: split at spaces (half- and full-width), each kept whole, duplicates dropped. */
    public static List<String> terms(String query) {
        if (query == null) {
            return List.of();
        }
        String q = query.strip();
        if (q.length() > MAX_QUERY_CHARS) {
            q = q.substring(0, MAX_QUERY_CHARS);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : q.split("[\\s\\u3000]+")) {
            if (!t.isEmpty() && out.size() < MAX_TERMS) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /** An FTS5 phrase: the term taken literally (a double quote inside is doubled), so no query syntax applies. */
    static String phrase(String term) {
        return "\"" + term.replace("\"", "\"\"") + "\"";
    }

    /** A LIKE pattern for the term anywhere, with %, _ and \ taken literally (ESCAPE '\'). */
    static String likePattern(String term) {
        return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
