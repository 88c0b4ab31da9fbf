package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.search.ArchiveSearch;
import jp.kitamoto.lists.store.ArchiveTextMapper.Hit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archive search's hits as a page shows them: the subject and a piece of the body around the first match, cut
 * into plain and matched segments. The template writes each segment escaped and wraps the matched ones in
 * {@code <mark>}, so neither the query nor the post can bring markup of its own.
 */
public final class SearchHits {
    /** Characters shown before the first match and in all. */
    static final int BEFORE = 40;
    static final int WINDOW = 160;

    private SearchHits() {
    }

    public record Segment(String text, boolean mark) {
    }

    public record Shown(long sequence, long receivedAt, List<Segment> subject, List<Segment> snippet) {
    }

    public static List<Shown> of(ArchiveSearch.Result result) {
        Pattern p = pattern(result.terms());
        List<Shown> out = new ArrayList<>();
        for (Hit h : result.hits()) {
            out.add(new Shown(h.sequence(), h.receivedAt(), segments(h.subject().strip(), p), snippet(h.body(), p)));
        }
        return out;
    }

    /** Any of the terms, literally, ignoring case (as the databases match: FTS5 trigram and LIKE/ILIKE). */
    static Pattern pattern(List<String> terms) {
        List<String> longestFirst = terms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return Pattern.compile(String.join("|", longestFirst.stream().map(Pattern::quote).toList()),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The text around the first match (the start when nothing in the body matched), line breaks as spaces. */
    static List<Segment> snippet(String body, Pattern p) {
        Matcher m = p.matcher(body);
        int at = 0;
        int matchEnd = 0;
        if (m.find()) {
            at = m.start();
            matchEnd = m.end();
        }
        int start = Math.max(0, at - BEFORE);
        int end = Math.min(body.length(), Math.max(start + WINDOW, matchEnd));
        start = boundary(body, start);
        end = boundary(body, end);
        String window = body.substring(start, end).replaceAll("\\s+", " ").strip();
        List<Segment> out = new ArrayList<>();
        if (start > 0) {
            out.add(new Segment("…", false));
        }
        out.addAll(segments(window, p));
        if (end < body.length()) {
            out.add(new Segment("…", false));
        }
        return out;
    }

    /** The whole text cut at every match. */
    static List<Segment> segments(String text, Pattern p) {
        List<Segment> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            if (m.start() > last) {
                out.add(new Segment(text.substring(last, m.start()), false));
            }
            out.add(new Segment(m.group(), true));
            last = m.end();
        }
        if (last < text.length()) {
            out.add(new Segment(text.substring(last), false));
        }
        return out;
    }

    /** Never cuts a surrogate pair (𠮷, emoji) in half. */
    private static int boundary(String s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) ? i - 1 : i;
    }
}
