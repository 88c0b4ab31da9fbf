package jp.kitamoto.lists.service;

import jp.kitamoto.lists.store.ArchiveTextMapper;
import jp.kitamoto.lists.store.ArchiveTextMapper.Hit;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.Dialect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
        String match = null;
        List<String> likes = new ArrayList<>();
        List<String> indexed = new ArrayList<>();
        for (String t : terms) {
            if (db.dialect() == Dialect.SQLITE && t.codePointCount(0, t.length()) >= TRIGRAM) {
                indexed.add(phrase(t));
            } else {
                likes.add(likePattern(t));
            }
        }
        if (!indexed.isEmpty()) {
            match = String.join(" ", indexed);
        }
        String m = match;
        int offset = Math.max(0, page) * pageSize;
        List<Hit> found = db.read(s -> s.getMapper(ArchiveTextMapper.class)
                .search(listId, m, likes, pageSize + 1, offset));
        boolean more = found.size() > pageSize;
        return new Result(terms, more ? found.subList(0, pageSize) : found, more);
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
