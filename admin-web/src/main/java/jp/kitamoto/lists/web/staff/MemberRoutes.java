package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.web.Labels;
import jp.kitamoto.lists.web.WebModule;
import jp.kitamoto.lists.web.WebSupport;
import jp.kitamoto.lists.web.csv.CsvText;
import jp.kitamoto.lists.web.store.RosterMapper;
import jp.kitamoto.lists.web.store.RosterMapper.RosterRow;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The members of a list: search, pages, add, suspend, remove, export. */
public final class MemberRoutes implements WebModule {
    static final int PAGE_SIZE = 50;

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/lists/{id}/members", ctx -> {
            MailingList list = ListRoutes.managed(web, ctx);
            String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
            SubscriptionState state = parseState(ctx.queryParam("state"));
            int page = StaffRoutes.pageParam(ctx);
            String pattern = q.isEmpty() ? null : Labels.likePattern(q);
            long started = System.nanoTime();
            var result = web.deps().database().read(s -> {
                RosterMapper m = s.getMapper(RosterMapper.class);
                return Map.entry(m.findPage(list.id(), pattern, state, page * PAGE_SIZE, PAGE_SIZE),
                        m.countMatching(list.id(), pattern, state));
            });
            long queryMicros = (System.nanoTime() - started) / 1000;
            Map<String, Object> p = new HashMap<>();
            p.put("page", web.page(ctx, "登録者: " + list.displayName()));
            p.put("list", list);
            p.put("rows", result.getKey());
            p.put("total", result.getValue());
            p.put("q", q);
            p.put("state", state == null ? "" : state.name());
            p.put("states", Arrays.asList(SubscriptionState.values()));
            p.put("pageNo", page);
            p.put("pages", (int) Math.max(1, (result.getValue() + PAGE_SIZE - 1) / PAGE_SIZE));
            // jte escapes HTML but does not URL-encode inside href: encode the query string here.
            p.put("qs", "q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8) + "&state="
                    + (state == null ? "" : state.name()));
            p.put("queryMillis", String.format("%.1f", queryMicros / 1000.0));
            web.render(ctx, "staff/members.jte", p);
        });
        r.post("/staff/lists/{id}/members", ctx -> {
            MailingList list = ListRoutes.managed(web, ctx);
            String address = Optional.ofNullable(ctx.formParam("address")).orElse("");
            String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
            try {
                web.deps().database().inTransaction(s -> {
                    var sub = web.deps().memberships().subscribe(s, list.id(), address, name, SubscriptionState.ACTIVE);
                    web.audit(s, ctx, "member.add", list.id(), address.strip(), "subscription " + sub.id());
                    return sub;
                });
                web.flash(ctx, "「" + address.strip() + "」を登録しました。");
            } catch (MembershipService.InvalidAddressException e) {
                web.flash(ctx, "メールアドレスの形式が正しくありません: " + address);
            }
            ctx.redirect("/staff/lists/" + list.id() + "/members");
        });
        r.post("/staff/lists/{id}/members/{sub}", ctx -> {
            MailingList list = ListRoutes.managed(web, ctx);
            long subId;
            try {
                subId = Long.parseLong(ctx.pathParam("sub"));
            } catch (NumberFormatException e) {
                throw new NotFoundResponse();
            }
            // Looked up within this list: a subscription id of another list is "not found", never changed.
            RosterRow row = web.deps().database().read(s -> s.getMapper(RosterMapper.class).findOne(list.id(), subId))
                    .orElseThrow(NotFoundResponse::new);
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
            web.deps().database().inTransaction(s -> {
                s.getMapper(jp.kitamoto.lists.store.SubscriptionMapper.class).updateState(subId, target,
                        web.deps().clock().millis());
                web.audit(s, ctx, "member." + action, list.id(), row.address(),
                        Labels.state(row.state()) + " → " + Labels.state(target));
                return null;
            });
            web.flash(ctx, "「" + row.address() + "」を" + Labels.state(target) + "にしました。");
            String back = Optional.ofNullable(ctx.formParam("back")).filter(b -> b.startsWith("/staff/"))
                    .orElse("/staff/lists/" + list.id() + "/members");
            ctx.redirect(back);
        });
        r.get("/staff/lists/{id}/members.csv", ctx -> {
            MailingList list = ListRoutes.managed(web, ctx);
            boolean sjis = "windows-31j".equalsIgnoreCase(ctx.queryParam("charset"));
            byte[] body = export(web, list, sjis);
            web.audit(ctx, "member.export", list.id(), list.localPart(), sjis ? "Windows-31J" : "UTF-8 (BOM)");
            ctx.header("Content-Disposition", "attachment; filename=\"" + list.localPart() + "-members"
                    + (sjis ? "-sjis" : "") + ".csv\"");
            ctx.contentType("text/csv; charset=" + (sjis ? "Windows-31J" : "UTF-8")).result(body);
        });
    }

    /**
     * UTF-8 with a BOM by default (Excel then opens it correctly and nothing is lost); Windows-31J on request, where
     * a character it cannot hold (emoji, 𠮷) becomes "?".
     */
    static byte[] export(WebSupport web, MailingList list, boolean windows31j) {
        Charset cs = windows31j ? CsvText.WINDOWS_31J : StandardCharsets.UTF_8;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!windows31j) {
                bytes.write(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            Writer w = new OutputStreamWriter(bytes, cs.newEncoder().onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .onMalformedInput(CodingErrorAction.REPLACE));
            try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180)) {
                csv.printRecord("メールアドレス", "氏名", "状態");
                String after = "";
                while (true) {
                    String from = after;
                    List<RosterRow> rows = web.deps().database().read(s -> s.getMapper(RosterMapper.class)
                            .findAfter(list.id(), from, 1000));
                    for (RosterRow row : rows) {
                        csv.printRecord(row.address(), row.displayName(), Labels.state(row.state()));
                    }
                    if (rows.size() < 1000) {
                        break;
                    }
                    after = jp.kitamoto.lists.domain.Addresses.key(rows.get(rows.size() - 1).address());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
