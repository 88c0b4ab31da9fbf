package jp.kitamoto.lists.web;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.http.Csrf;
import jp.kitamoto.lists.web.http.Halt;
import jp.kitamoto.lists.web.http.ReaderLanguage;
import jp.kitamoto.lists.web.http.StaffSessions;
import jp.kitamoto.lists.web.support.Page;
import jp.kitamoto.lists.web.support.WebDeps;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import org.apache.ibatis.session.SqlSession;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one implementation of {@link WebSupport}, shared by every route group. */
final class Support implements WebSupport {
    private static final String FLASH = "flash";
    private final WebDeps deps;
    private final TemplateEngine templates;
    private final StaffAccounts accounts;
    private final StaffSessions sessions;
    private final AuditLog audit;
    private volatile List<WebModule.MenuLink> menu = List.of();

    Support(WebDeps deps, TemplateEngine templates, StaffAccounts accounts, StaffSessions sessions, AuditLog audit) {
        this.deps = deps;
        this.templates = templates;
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** The staff menu, collected from every module once they are all known. */
    void menu(List<WebModule.MenuLink> links) {
        this.menu = List.copyOf(links);
    }

    @Override
    public void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.contentType("text/html; charset=UTF-8");
        ctx.result(out.toString());
    }

    @Override
    public Page page(Context ctx, String title) {
        String flash = null;
        var session = ctx.req().getSession(false);
        if (session != null) {
            flash = (String) session.getAttribute(FLASH);
            session.removeAttribute(FLASH);
        }
        StaffUser user = staff(ctx).orElse(null);
        return new Page(title, user, csrfToken(ctx), flash, menu.stream().filter(l -> l.shownTo(user)).toList(),
                texts(ctx), pathAndQuery(ctx));
    }

    /** This request's path and query, for the language switch to come back to. */
    private static String pathAndQuery(Context ctx) {
        String query = ctx.queryString();
        return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    @Override
    public jp.kitamoto.lists.text.Texts texts(Context ctx) {
        jp.kitamoto.lists.text.Texts cached = ctx.attribute("readerTexts");
        if (cached == null) {
            cached = ReaderLanguage.of(ctx);
            ctx.attribute("readerTexts", cached);
        }
        return cached;
    }

    @Override
    public Optional<StaffUser> staff(Context ctx) {
        Optional<Long> staffId = sessions.staffId(ctx);
        if (staffId.isEmpty()) {
            return Optional.empty();
        }
        // Re-read once per request (a change of role applies at once), not once per call.
        Optional<StaffUser> cached = Optional.ofNullable(ctx.attribute("staffUser"));
        if (cached.isPresent()) {
            return cached;
        }
        Optional<StaffUser> user = accounts.byId(staffId.get());
        user.ifPresent(u -> ctx.attribute("staffUser", u));
        return user;
    }

    @Override
    public StaffUser requireStaff(Context ctx) {
        Optional<StaffUser> user = staff(ctx);
        if (user.isEmpty()) {
            if (Csrf.isSafeMethod(ctx.method())) {
                ctx.redirect("/staff/login");
                throw new Halt();
            }
            errorPage(ctx, HttpStatus.UNAUTHORIZED, null);
            throw new Halt();
        }
        return user.get();
    }

    @Override
    public void require(Context ctx, boolean allowed) {
        if (!allowed) {
            errorPage(ctx, HttpStatus.FORBIDDEN, texts(ctx).get("page.error.listForbidden"));
            throw new Halt();
        }
    }

    @Override
    public String csrfToken(Context ctx) {
        return Csrf.token(ctx);
    }

    @Override
    public void flash(Context ctx, String message) {
        ctx.sessionAttribute(FLASH, message);
    }

    @Override
    public void audit(Context ctx, String action, Long listId, String target, String detail) {
        audit.record(actor(ctx), action, listId, target, detail);
    }

    @Override
    public void audit(SqlSession session, Context ctx, String action, Long listId, String target, String detail) {
        audit.record(session, actor(ctx), action, listId, target, detail);
    }

    private Actor actor(Context ctx) {
        return new Actor(staff(ctx).map(StaffUser::username).orElse(Actor.PUBLIC), ctx.ip());
    }

    @Override
    public WebDeps deps() {
        return deps;
    }

    @Override
    public void errorPage(Context ctx, HttpStatus status, String message) {
        var texts = texts(ctx);
        String text = message != null ? message : switch (status.getCode()) {
            case 400, 401, 403, 404, 405, 413 -> texts.get("page.error." + status.getCode());
            default -> texts.get("page.error.500");
        };
        ctx.status(status);
        Map<String, Object> params = new HashMap<>();
        params.put("page", page(ctx, texts.get("page.error.title")));
        params.put("status", status.getCode());
        params.put("message", text);
        try {
            render(ctx, "error.jte", params);
        } catch (RuntimeException e) {
            ctx.contentType("text/plain; charset=UTF-8").result(text);
        }
    }
}
