package jp.kitamoto.lists.web.publicpages;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.archive.ArchiveQueries;
import jp.kitamoto.lists.web.archive.ArchiveQueries.ThreadItem;
import jp.kitamoto.lists.web.archive.MessageView;
import jp.kitamoto.lists.web.members.MemberSelfService;
import jp.kitamoto.lists.web.archive.PostDate;
import jp.kitamoto.lists.web.support.Labels;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.web.archive.SearchHits;
import jp.kitamoto.lists.search.ArchiveSearch;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-list archive: months, the posts of a month by date or by thread, one post, its attachments. A public
 * archive is open to everybody with every address masked; a members-only archive also to a member of that list
 * signed in on the member's page (addresses masked as well: a member sees only their own); closed archives only to
 * the staff who handle the list. Its search (any substring of subjects and bodies, newest first; core's
 * {@code ArchiveSearch}) goes through the same check.
 */
public final class ArchiveRoutes implements WebModule {
    private final ListService lists;
    private final ArchiveQueries archive;
    private final SignedInMember member;
    private final MemberSelfService members;
    private final ArchiveSearch search;

    public ArchiveRoutes(ListService lists, ArchiveQueries archive, SignedInMember member, MemberSelfService members,
                         ArchiveSearch search) {
        this.lists = lists;
        this.archive = archive;
        this.member = member;
        this.members = members;
        this.search = search;
    }

    /** Hits per page of the archive search. */
    static final int SEARCH_PAGE = 20;
    /** Pages further than this are not offered (an OFFSET this deep is already slow, and nobody reads that far). */
    static final int SEARCH_MAX_PAGE = 50;

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        // Before {month}: "search" would otherwise be read as a month.
        r.get("/lists/{list}/archive/search", ctx -> {
            // The very check that guards reading the archive: whoever cannot read it cannot search it either.
            Access a = access(web, ctx);
            searchPage(web, ctx, a.list());
        });
        r.get("/lists/{list}/archive", ctx -> {
            Access a = access(web, ctx);
            web.render(ctx, "archive/months.jte", Map.of("page", web.page(ctx,
                            web.texts(ctx).format("page.archive.title", "list", a.list().displayName())),
                    "list", a.list(), "months", archive.months(a.list().id())));
        });
        r.get("/lists/{list}/archive/{month}", ctx -> {
            Access a = access(web, ctx);
            YearMonth ym;
            try {
                ym = YearMonth.parse(ctx.pathParam("month"));
            } catch (DateTimeParseException e) {
                throw new NotFoundResponse();
            }
            boolean threaded = "thread".equals(ctx.queryParam("view"));
            List<ThreadItem> items = archive.month(a.list().id(), ym, threaded, a.mask());
            Map<String, Object> p = new HashMap<>();
            p.put("page", web.page(ctx, web.texts(ctx).format("page.archive.monthTitle", "list",
                    a.list().displayName(), "year", ym.getYear(), "month", ym.getMonthValue())));
            p.put("list", a.list());
            p.put("month", ym.toString());
            p.put("items", items);
            p.put("threaded", threaded);
            web.render(ctx, "archive/month.jte", p);
        });
        r.get("/lists/{list}/archive/posts/{seq}", ctx -> {
            Access a = access(web, ctx);
            long seq = sequence(ctx);
            Post post = archive.archived(a.list().id(), seq).orElseThrow(NotFoundResponse::new);
            MessageView view = MessageView.parse(post.raw(), a.mask());
            web.render(ctx, "archive/post.jte", Map.of("page", web.page(ctx, view.subject(web.texts(ctx))), "list", a.list(),
                    "view", view, "seq", seq, "date", PostDate.shown(view.date(), web.texts(ctx)),
                    "received", Labels.time(post.receivedAt(), web.texts(ctx)),
                    "partBase", "/lists/" + a.list().localPart() + "/archive/posts/" + seq + "/parts"));
        });
        r.get("/lists/{list}/archive/posts/{seq}/parts/{n}", ctx -> {
            Access a = access(web, ctx);
            byte[] raw = raw(a.list(), sequence(ctx));
            int n;
            try {
                n = Integer.parseInt(ctx.pathParam("n"));
            } catch (NumberFormatException e) {
                throw new NotFoundResponse();
            }
            MessageView.Download d = MessageView.attachment(raw, n).orElseThrow(NotFoundResponse::new);
            // Always a download, never rendered by the browser in our origin (an HTML or SVG attachment could
            // otherwise run script as this site).
            String ascii = d.fileName().replaceAll("[^A-Za-z0-9._-]", "_");
            ctx.header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                    + URLEncoder.encode(d.fileName(), StandardCharsets.UTF_8).replace("+", "%20"));
            ctx.contentType("application/octet-stream").result(d.bytes());
        });
    }

    private void searchPage(WebSupport web, Context ctx, MailingList list) {
        String query = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        int page = pageNumber(ctx.queryParam("page"));
        Texts t = web.texts(ctx);
        ArchiveSearch.Result result = search.search(list.id(), query, page - 1, SEARCH_PAGE);
        String base = "/lists/" + list.localPart() + "/archive/search?q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&page=";
        Map<String, Object> p = new HashMap<>();
        p.put("page", web.page(ctx, query.isEmpty() ? t.get("page.archive.search.label")
                : t.format("page.archive.search.title", "query", query, "list", list.displayName())));
        p.put("list", list);
        p.put("query", query);
        p.put("searched", !result.terms().isEmpty());
        p.put("hits", SearchHits.of(result));
        p.put("previous", page > 1 ? base + (page - 1) : "");
        p.put("next", result.more() && page < SEARCH_MAX_PAGE ? base + (page + 1) : "");
        p.put("pageSize", SEARCH_PAGE);
        web.render(ctx, "archive/search.jte", p);
    }

    private static int pageNumber(String param) {
        try {
            return Math.min(SEARCH_MAX_PAGE, Math.max(1, Integer.parseInt(param == null ? "1" : param)));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private record Access(MailingList list, boolean mask) {
    }

    private Access access(WebSupport web, Context ctx) {
        MailingList list = lists.byLocalPart(ctx.pathParam("list")).orElseThrow(NotFoundResponse::new);
        boolean staff = web.staff(ctx).map(u -> u.canModerate(list.id())).orElse(false);
        boolean allowed = staff || switch (list.archiveVisibility()) {
            case PUBLIC -> true;
            // A member of this list (not of another), signed in on their own page; paused members read too.
            case MEMBERS -> member.id(ctx).map(id -> members.isMemberOf(id, list.id())).orElse(false);
            case CLOSED -> false;
        };
        if (!allowed) {
            // Members-only and closed archives look like nothing to the public.
            throw new NotFoundResponse();
        }
        return new Access(list, !staff);
    }

    private static long sequence(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("seq"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
    }

    private byte[] raw(MailingList list, long seq) {
        return archive.raw(list.id(), seq).orElseThrow(NotFoundResponse::new);
    }
}
