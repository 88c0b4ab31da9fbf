package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.support.Labels;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.store.AuditMapper.AuditEntry;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The staff home page, staff accounts and the audit log. */
public final class StaffRoutes implements WebModule {
    private static final int AUDIT_PAGE = 100;
    private final StaffAccounts accounts;
    private final ListService lists;
    private final MembershipService memberships;
    private final PostQueries posts;
    private final AuditLog audit;

    public StaffRoutes(StaffAccounts accounts, ListService lists, MembershipService memberships, PostQueries posts,
                       AuditLog audit) {
        this.accounts = accounts;
        this.lists = lists;
        this.memberships = memberships;
        this.posts = posts;
        this.audit = audit;
    }

    /** One row of the home page. */
    public record ListRow(MailingList list, long active, long held, boolean manage) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff", ctx -> {
            StaffUser user = web.requireStaff(ctx);
            List<ListRow> rows = new ArrayList<>();
            for (MailingList l : lists.all().stream().filter(l -> user.canModerate(l.id())).toList()) {
                rows.add(new ListRow(l, memberships.count(l.id(), SubscriptionState.ACTIVE),
                        posts.countHeld(l.id(), 1000), user.canManage(l.id())));
            }
            web.render(ctx, "staff/home.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.layout.staffHome")), "rows", rows));
        });
        r.get("/staff/accounts", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            showAccounts(web, ctx, "");
        });
        r.post("/staff/accounts", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            String username = Optional.ofNullable(ctx.formParam("username")).orElse("").strip();
            StaffRole role;
            try {
                role = StaffRole.valueOf(Optional.ofNullable(ctx.formParam("role")).orElse(""));
            } catch (IllegalArgumentException e) {
                showAccounts(web, ctx, web.texts(ctx).get("page.staff.accounts.chooseRole"));
                return;
            }
            List<Long> listIds = ctx.formParams("lists").stream().map(Long::parseLong).toList();
            try {
                accounts.create(username, ctx.formParam("displayName"), role,
                        Optional.ofNullable(ctx.formParam("password")).orElse(""), listIds);
            } catch (StaffAccounts.UsernameTakenException e) {
                showAccounts(web, ctx, web.texts(ctx).get("page.staff.accounts.taken"));
                return;
            } catch (StaffAccounts.BadPasswordException e) {
                showAccounts(web, ctx, web.texts(ctx).get(e.key()));
                return;
            }
            web.audit(ctx, "staff.create", null, username, role.name() + " lists=" + listIds);
            web.flash(ctx, web.texts(ctx).format("page.staff.accounts.created", "username", username));
            ctx.redirect("/staff/accounts");
        });
        // Every staff member changes their own password here (the first admin's password was printed in the log).
        r.get("/staff/password", ctx -> {
            web.requireStaff(ctx);
            showPassword(web, ctx, "");
        });
        r.post("/staff/password", ctx -> {
            StaffUser user = web.requireStaff(ctx);
            String current = Optional.ofNullable(ctx.formParam("current")).orElse("");
            String fresh = Optional.ofNullable(ctx.formParam("password")).orElse("");
            if (accounts.authenticate(user.username(), current).isEmpty()) {
                web.audit(ctx, "staff.password.refused", null, user.username(), "現在のパスワードが違う");
                showPassword(web, ctx, web.texts(ctx).get("page.staff.password.wrong"));
                return;
            }
            if (!fresh.equals(ctx.formParam("again"))) {
                showPassword(web, ctx, web.texts(ctx).get("page.staff.password.mismatch"));
                return;
            }
            try {
                accounts.changePassword(user.id(), fresh);
            } catch (StaffAccounts.BadPasswordException e) {
                showPassword(web, ctx, web.texts(ctx).get(e.key()));
                return;
            }
            web.audit(ctx, "staff.password", null, user.username(), "パスワード変更");
            web.flash(ctx, web.texts(ctx).get("page.staff.password.changed"));
            ctx.redirect("/staff");
        });
        r.get("/staff/audit", ctx -> {
            StaffUser user = web.requireStaff(ctx);
            int page = StaffAccess.pageParam(ctx);
            var scope = user.isAdmin() ? null : user.listIds();
            List<AuditEntry> entries = audit.page(scope, page * AUDIT_PAGE, AUDIT_PAGE);
            long total = audit.count(scope);
            web.render(ctx, "staff/audit.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.layout.audit")), "entries", entries,
                    "pageNo", page, "hasNext", (long) (page + 1) * AUDIT_PAGE < total, "total", total));
        });
        r.get("/staff/audit.csv", ctx -> {
            StaffUser user = web.requireStaff(ctx);
            var scope = user.isAdmin() ? null : user.listIds();
            StringWriter out = new StringWriter();
            try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
                csv.printRecord("日時", "操作者", "接続元", "操作", "リスト", "対象", "内容");
                for (int offset = 0; ; offset += 1000) {
                    List<AuditEntry> page = audit.page(scope, offset, 1000);
                    for (AuditEntry e : page) {
                        csv.printRecord(Labels.plainTime(e.at()), e.actor(), e.clientIp(), e.action(),
                                e.listId() == null ? "" : listName(e.listId()), e.target(), e.detail());
                    }
                    if (page.size() < 1000) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            web.audit(ctx, "audit.export", null, "", "");
            byte[] body = ("\uFEFF" + out).getBytes(StandardCharsets.UTF_8);
            ctx.header("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
            ctx.contentType("text/csv; charset=UTF-8").result(body);
        });
    }

    private String listName(long id) {
        return lists.byId(id).map(MailingList::localPart).orElse(String.valueOf(id));
    }

    private void showAccounts(WebSupport web, Context ctx, String error) {
        web.render(ctx, "staff/accounts.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.staff.accounts.title")),
                "accounts", accounts.all(), "lists", lists.all(), "roles", Arrays.asList(StaffRole.values()),
                "error", error));
    }

    private static void showPassword(WebSupport web, Context ctx, String error) {
        web.render(ctx, "staff/password.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.staff.password.title")), "error", error));
    }
}
