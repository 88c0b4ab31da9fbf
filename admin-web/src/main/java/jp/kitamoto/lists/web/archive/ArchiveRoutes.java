package jp.kitamoto.lists.web.archive;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.web.Labels;
import jp.kitamoto.lists.web.WebModule;
import jp.kitamoto.lists.web.WebSupport;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.ArchiveMapper.PostSummary;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-list archive: months, the posts of a month by date or by thread, one post, its attachments. A public
 * archive is open to everybody with every address masked; members-only and closed archives are shown to the staff
 * who handle the list. Member sign-in for members-only archives is not built yet.
 */
public final class ArchiveRoutes implements WebModule {
    private static final int MONTH_LIMIT = 2000;

    public record Month(String key, String label, long count) {
    }

    /** A post in a thread, with its depth for indentation. */
    public record ThreadItem(PostSummary post, String subject, int depth) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/lists/{list}/archive", ctx -> {
            Access a = access(web, ctx);
            List<Long> times = web.deps().database().read(s -> s.getMapper(ArchiveMapper.class)
                    .findArchivedTimes(a.list().id()));
            TreeMap<YearMonth, Long> byMonth = new TreeMap<>();
            for (long t : times) {
                byMonth.merge(YearMonth.from(Instant.ofEpochMilli(t).atZone(Labels.JAPAN)), 1L, Long::sum);
            }
            List<Month> months = new ArrayList<>();
            byMonth.descendingMap().forEach((ym, n) -> months.add(new Month(ym.toString(),
                    ym.getYear() + "年" + ym.getMonthValue() + "月", n)));
            web.render(ctx, "archive/months.jte", Map.of("page", web.page(ctx, "アーカイブ: " + a.list().displayName()),
                    "list", a.list(), "months", months));
        });
        r.get("/lists/{list}/archive/{month}", ctx -> {
            Access a = access(web, ctx);
            YearMonth ym;
            try {
                ym = YearMonth.parse(ctx.pathParam("month"));
            } catch (DateTimeParseException e) {
                throw new NotFoundResponse();
            }
            long from = ym.atDay(1).atStartOfDay(Labels.JAPAN).toInstant().toEpochMilli();
            long to = ym.plusMonths(1).atDay(1).atStartOfDay(Labels.JAPAN).toInstant().toEpochMilli();
            boolean threaded = "thread".equals(ctx.queryParam("view"));
            List<PostSummary> posts = web.deps().database().read(s -> s.getMapper(ArchiveMapper.class)
                    .findArchived(a.list().id(), from, to, MONTH_LIMIT));
            List<ThreadItem> items = threaded ? threads(web, posts, a.mask())
                    : posts.stream().map(p -> new ThreadItem(p, subject(p, a.mask()), 0)).toList();
            Map<String, Object> p = new HashMap<>();
            p.put("page", web.page(ctx, a.list().displayName() + " " + ym.getYear() + "年" + ym.getMonthValue() + "月"));
            p.put("list", a.list());
            p.put("month", ym.toString());
            p.put("items", items);
            p.put("threaded", threaded);
            web.render(ctx, "archive/month.jte", p);
        });
        r.get("/lists/{list}/archive/posts/{seq}", ctx -> {
            Access a = access(web, ctx);
            long id = postId(web, ctx, a.list());
            byte[] raw = web.deps().database().read(s -> s.getMapper(jp.kitamoto.lists.store.PostMapper.class).findById(id).orElseThrow().raw());
            MessageView view = MessageView.parse(raw, a.mask());
            long seq = Long.parseLong(ctx.pathParam("seq"));
            web.render(ctx, "archive/post.jte", Map.of("page", web.page(ctx, view.subject()), "list", a.list(),
                    "view", view, "seq", seq,
                    "partBase", "/lists/" + a.list().localPart() + "/archive/posts/" + seq + "/parts"));
        });
        r.get("/lists/{list}/archive/posts/{seq}/parts/{n}", ctx -> {
            Access a = access(web, ctx);
            long id = postId(web, ctx, a.list());
            int n;
            try {
                n = Integer.parseInt(ctx.pathParam("n"));
            } catch (NumberFormatException e) {
                throw new NotFoundResponse();
            }
            byte[] raw = web.deps().database().read(s -> s.getMapper(jp.kitamoto.lists.store.PostMapper.class).findById(id).orElseThrow().raw());
            MessageView.Download d = MessageView.attachment(raw, n).orElseThrow(NotFoundResponse::new);
            // Always a download, never rendered by the browser in our origin (an HTML or SVG attachment could
            // otherwise run script as this site).
            String ascii = d.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
            ctx.header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                    + URLEncoder.encode(d.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
            ctx.contentType("application/octet-stream").result(d.bytes());
        });
    }

    private record Access(MailingList list, boolean mask) {
    }

    private static Access access(WebSupport web, Context ctx) {
        MailingList list = web.deps().lists().byLocalPart(ctx.pathParam("list")).orElseThrow(NotFoundResponse::new);
        boolean staff = web.staff(ctx).map(u -> u.canModerate(list.id())).orElse(false);
        if (list.archiveVisibility() != ArchiveVisibility.PUBLIC && !staff) {
            // Members-only and closed archives look like nothing to the public.
            throw new NotFoundResponse();
        }
        return new Access(list, !staff);
    }

    private static long postId(WebSupport web, Context ctx, MailingList list) {
        long seq;
        try {
            seq = Long.parseLong(ctx.pathParam("seq"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        return web.deps().database().read(s -> s.getMapper(ArchiveMapper.class)
                .findArchivedIdBySequence(list.id(), seq)).orElseThrow(NotFoundResponse::new);
    }

    private static String subject(PostSummary p, boolean mask) {
        String s = Optional.ofNullable(p.subject()).filter(x -> !x.isBlank()).orElse("（件名なし）");
        return mask ? MailText.maskAddresses(s) : s;
    }

    /**
     * Threads by References / In-Reply-To within the month; a reply whose parent is not in the month starts a thread
     * of its own. Order: threads by their first post, replies under their parent in time order.
     */
    private static List<ThreadItem> threads(WebSupport web, List<PostSummary> posts, boolean mask) {
        Map<String, PostSummary> byMessageId = new HashMap<>();
        Map<Long, String> parentOf = new HashMap<>();
        Map<Long, List<PostSummary>> children = new LinkedHashMap<>();
        web.deps().database().read(s -> {
            ArchiveMapper m = s.getMapper(ArchiveMapper.class);
            for (PostSummary p : posts) {
                MessageView h = MessageView.headers(s.getMapper(jp.kitamoto.lists.store.PostMapper.class)
                        .findById(p.id()).orElseThrow().raw());
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
        for (PostSummary p : posts) {
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
