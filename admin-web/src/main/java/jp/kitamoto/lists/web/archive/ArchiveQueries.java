package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.ArchiveMapper.PostSummary;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the archive pages show: a list's months, the posts of a month by date or by thread (months in Japan time),
 * and one archived post by its sequence number. Masking decides only how subjects are shown; who may see which
 * archive is the pages' decision.
 */
public final class ArchiveQueries {
    private static final int MONTH_LIMIT = 2000;

    private final Database db;
    private final PostQueries posts;

    public ArchiveQueries(Database db, PostQueries posts) {
        this.db = db;
        this.posts = posts;
    }

    public record Month(String key, String label, long count) {
        /** The year, for a page to write the month in its own language. */
        public int year() {
            return YearMonth.parse(key).getYear();
        }

        public int month() {
            return YearMonth.parse(key).getMonthValue();
        }
    }

    /** A post in a thread, with its depth for indentation. */
    public record ThreadItem(PostSummary post, String subject, int depth) {
    }

    /** The months with archived posts, newest first. */
    public List<Month> months(long listId) {
        List<Long> times = db.read(s -> s.getMapper(ArchiveMapper.class).findArchivedTimes(listId));
        TreeMap<YearMonth, Long> byMonth = new TreeMap<>();
        for (long t : times) {
            byMonth.merge(YearMonth.from(Instant.ofEpochMilli(t).atZone(JapanTime.ZONE)), 1L, Long::sum);
        }
        List<Month> months = new ArrayList<>();
        byMonth.descendingMap().forEach((ym, n) -> months.add(new Month(ym.toString(),
                ym.getYear() + "年" + ym.getMonthValue() + "月", n)));
        return months;
    }

    /** The archived posts of a month, in time order or threaded. */
    public List<ThreadItem> month(long listId, YearMonth ym, boolean threaded, boolean mask) {
        long from = ym.atDay(1).atStartOfDay(JapanTime.ZONE).toInstant().toEpochMilli();
        long to = ym.plusMonths(1).atDay(1).atStartOfDay(JapanTime.ZONE).toInstant().toEpochMilli();
        List<PostSummary> found = db.read(s -> s.getMapper(ArchiveMapper.class)
                .findArchived(listId, from, to, MONTH_LIMIT));
        return threaded ? threads(found, mask)
                : found.stream().map(p -> new ThreadItem(p, subject(p, mask), 0)).toList();
    }

    /** The archived post with this sequence number of the list, bytes included. */
    public Optional<Post> archived(long listId, long sequence) {
        return db.read(s -> s.getMapper(ArchiveMapper.class).findArchivedIdBySequence(listId, sequence))
                .flatMap(posts::byId);
    }

    /** The raw bytes of the archived post with this sequence number of the list. */
    public Optional<byte[]> raw(long listId, long sequence) {
        return db.read(s -> s.getMapper(ArchiveMapper.class).findArchivedIdBySequence(listId, sequence))
                .flatMap(posts::raw);
    }

    private static String subject(PostSummary p, boolean mask) {
        String s = Optional.ofNullable(p.subject()).filter(x -> !x.isBlank()).orElse(""); // the page says "no subject"
        return mask ? MailText.maskAddresses(s) : s;
    }

    /**
     * Threads by References / In-Reply-To within the month; a reply whose parent is not in the month starts a thread
     * of its own. Order: threads by their first post, replies under their parent in time order.
     */
    private List<ThreadItem> threads(List<PostSummary> found, boolean mask) {
        Map<String, PostSummary> byMessageId = new HashMap<>();
        Map<Long, String> parentOf = new HashMap<>();
        Map<Long, List<PostSummary>> children = new LinkedHashMap<>();
        // One read session for the whole month: a month can hold up to MONTH_LIMIT posts.
        db.read(s -> {
            PostMapper m = s.getMapper(PostMapper.class);
            for (PostSummary p : found) {
                MessageView h = MessageView.headers(m.findById(p.id()).map(Post::raw).orElseThrow());
                if (!h.messageId().isEmpty()) {
                    byMessageId.putIfAbsent(h.messageId(), p);
                }
                String parent = !h.inReplyTo().isEmpty() ? h.inReplyTo()
                        : h.references().isEmpty() ? "" : h.references().get(h.references().size() - 1);
                parentOf.put(p.id(), parent);
            }
            return null;
        });
        List<PostSummary> roots = new ArrayList<>();
        for (PostSummary p : found) {
            PostSummary parent = byMessageId.get(parentOf.get(p.id()));
            if (parent == null || parent.id() == p.id()) {
                roots.add(p);
            } else {
                children.computeIfAbsent(parent.id(), k -> new ArrayList<>()).add(p);
            }
        }
        List<ThreadItem> out = new ArrayList<>();
        for (PostSummary root : roots) {
            add(out, root, 0, children, mask);
        }
        return out;
    }

    private static void add(List<ThreadItem> out, PostSummary p, int depth, Map<Long, List<PostSummary>> children,
                            boolean mask) {
        out.add(new ThreadItem(p, subject(p, mask), Math.min(depth, 8)));
        for (PostSummary c : children.getOrDefault(p.id(), List.of())) {
            add(out, c, depth + 1, children, mask);
        }
    }
}
