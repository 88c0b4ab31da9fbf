package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.web.csv.MemberExport;
import jp.kitamoto.lists.web.members.MemberAdmin;
import jp.kitamoto.lists.web.store.RosterMapper.RosterRow;
import jp.kitamoto.lists.web.support.Labels;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The members of a list: search, pages, add, suspend, remove, export. */
public final class MemberRoutes implements WebModule {
    static final int PAGE_SIZE = 50;
    private final StaffAccess access;
    private final MemberAdmin members;
    private final MemberExport export;

    public MemberRoutes(StaffAccess access, MemberAdmin members, MemberExport export) {
        this.access = access;
        this.members = members;
        this.export = export;
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/lists/{id}/members", ctx -> {
            MailingList list = access.managed(web, ctx);
            String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
            SubscriptionState state = parseState(ctx.queryParam("state"));
            int page = StaffAccess.pageParam(ctx);
            String pattern = q.isEmpty() ? null : Labels.likePattern(q);
            long started = System.nanoTime();
            MemberAdmin.RosterPage result = members.page(list.id(), pattern, state, page * PAGE_SIZE, PAGE_SIZE);
            long queryMicros = (System.nanoTime() - started) / 1000;
            Map<String, Object> p = new HashMap<>();
            p.put("page", web.page(ctx, web.texts(ctx).format("page.staff.members.title", "list", list.displayName())));
            p.put("list", list);
            p.put("rows", result.rows());
            p.put("total", result.total());
            p.put("q", q);
            p.put("state", state == null ? "" : state.name());
            p.put("states", Arrays.asList(SubscriptionState.values()));
            p.put("pageNo", page);
            p.put("pages", (int) Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE));
            // jte escapes HTML but does not URL-encode inside href: encode the query string here.
            p.put("qs", "q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8) + "&state="
                    + (state == null ? "" : state.name()));
            p.put("queryMillis", String.format("%.1f", queryMicros / 1000.0));
            web.render(ctx, "staff/members.jte", p);
        });
        r.post("/staff/lists/{id}/members", ctx -> {
            MailingList list = access.managed(web, ctx);
            String address = Optional.ofNullable(ctx.formParam("address")).orElse("");
            String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
            try {
                members.add(list.id(), address, name, StaffAccess.actor(web, ctx));
                web.flash(ctx, web.texts(ctx).format("page.staff.members.added", "address", address.strip()));
            } catch (MembershipService.InvalidAddressException e) {
                web.flash(ctx, web.texts(ctx).format("page.staff.members.badAddress", "address", address));
            }
            ctx.redirect("/staff/lists/" + list.id() + "/members");
        });
        r.post("/staff/lists/{id}/members/{sub}", ctx -> {
            MailingList list = access.managed(web, ctx);
            long subId;
            try {
                subId = Long.parseLong(ctx.pathParam("sub"));
            } catch (NumberFormatException e) {
                throw new NotFoundResponse();
            }
            // Looked up within this list: a subscription id of another list is "not found", never changed.
            RosterRow row = members.find(list.id(), subId).orElseThrow(NotFoundResponse::new);
            String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
            SubscriptionState target = switch (action) {
                case "suspend" -> SubscriptionState.SUSPENDED;
                case "resume" -> SubscriptionState.ACTIVE;
                case "remove" -> SubscriptionState.UNSUBSCRIBED;
                default -> null;
            };
            if (target == null) {
                web.errorPage(ctx, HttpStatus.BAD_REQUEST, null);
                return;
            }
            try {
                members.changeState(list.id(), subId, target, StaffAccess.actor(web, ctx));
            } catch (MemberAdmin.NotInListException e) {
                throw new NotFoundResponse();
            }
            web.flash(ctx, web.texts(ctx).format("page.staff.members.changed", "address", row.address(), "state",
                    web.texts(ctx).get("page.state." + target.name())));
            String back = Optional.ofNullable(ctx.formParam("back")).filter(b -> b.startsWith("/staff/"))
                    .orElse("/staff/lists/" + list.id() + "/members");
            ctx.redirect(back);
        });
        r.get("/staff/lists/{id}/members.csv", ctx -> {
            MailingList list = access.managed(web, ctx);
            boolean sjis = "windows-31j".equalsIgnoreCase(ctx.queryParam("charset"));
            byte[] body = export.export(list, sjis);
            web.audit(ctx, "member.export", list.id(), list.localPart(), sjis ? "Windows-31J" : "UTF-8 (BOM)");
            ctx.header("Content-Disposition", "attachment; filename=\"" + list.localPart() + "-members"
                    + (sjis ? "-sjis" : "") + ".csv\"");
            ctx.contentType("text/csv; charset=" + (sjis ? "Windows-31J" : "UTF-8")).result(body);
        });
    }

    private static SubscriptionState parseState(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return SubscriptionState.valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
