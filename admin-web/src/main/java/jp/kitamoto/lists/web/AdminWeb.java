package jp.kitamoto.lists.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.archive.ArchiveRoutes;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.LoginThrottle;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.http.Csrf;
import jp.kitamoto.lists.web.http.Halt;
import jp.kitamoto.lists.web.http.SecurityHeaders;
import jp.kitamoto.lists.web.publicpages.PublicRoutes;
import jp.kitamoto.lists.web.publicpages.SubscriptionRequests;
import jp.kitamoto.lists.web.staff.AuthRoutes;
import jp.kitamoto.lists.web.staff.ImportRoutes;
import jp.kitamoto.lists.web.staff.ListRoutes;
import jp.kitamoto.lists.web.staff.MemberRoutes;
import jp.kitamoto.lists.web.staff.PostRoutes;
import jp.kitamoto.lists.web.staff.StaffRoutes;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.ConfirmationMapper;
import jp.kitamoto.lists.web.store.RosterMapper;
import jp.kitamoto.lists.web.store.StaffMapper;
import org.apache.ibatis.session.SqlSession;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin web application: public pages (list index, subscribe, unsubscribe, RFC 8058 one-click, archive) and staff
 * pages (lists, members, CSV import and export, held posts, deliveries, audit log), in the mail server's process.
 *
 * <pre>
 * AdminWeb web = AdminWeb.start(new AdminWeb.Deps(settings, db, clock, lists, memberships, distributor, moderation),
 *         List.of(extraModules...));
 * ... web.port() ... web.stop();
 * </pre>
 */
public final class AdminWeb implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminWeb.class);

    /** Everything admin-web needs from the rest of the server. */
    public record Deps(Settings settings, Database database, Clock clock, ListService lists,
                       MembershipService memberships, Distributor distributor, Moderation moderation) {
        public Deps {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(lists, "lists");
            Objects.requireNonNull(memberships, "memberships");
            Objects.requireNonNull(distributor, "distributor");
            Objects.requireNonNull(moderation, "moderation");
        }
    }

    private final Javalin app;
    private final Support support;

    private AdminWeb(Javalin app, Support support) {
        this.app = app;
        this.support = support;
    }

    /** Starts on {@code web.host}:{@code web.port}; the initial admin password comes from the environment if set. */
    public static AdminWeb start(Deps deps, List<WebModule> modules) {
        return start(deps, modules, Optional.ofNullable(System.getenv(StaffAccounts.ENV_INITIAL_PASSWORD))
                .or(() -> Optional.ofNullable(System.getProperty(StaffAccounts.ENV_INITIAL_PASSWORD))));
    }

    /** Starts with an explicit initial admin password (used only if there is no staff account yet). */
    public static AdminWeb start(Deps deps, List<WebModule> modules, Optional<String> initialAdminPassword) {
        deps.database().addMappers(StaffMapper.class, AuditMapper.class, ConfirmationMapper.class, RosterMapper.class,
                ArchiveMapper.class);
        StaffAccounts accounts = new StaffAccounts(deps.database(), deps.clock());
        accounts.bootstrap(initialAdminPassword).ifPresent(pw -> log.warn(
                "\n==========================================================\n"
                        + " 初回起動: スタッフアカウント 'admin' を作成しました。\n"
                        + " First start: created staff account 'admin'.\n"
                        + " Password / パスワード: {}\n"
                        + " (shown once; sign in at {}/staff/login and change it)\n"
                        + "==========================================================", pw,
                deps.settings().server().publicUrl()));

        TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
        AuditLog audit = new AuditLog(deps.database(), deps.clock());
        Support support = new Support(deps, templates, accounts, audit);

        List<WebModule> all = new ArrayList<>();
        all.add(new PublicRoutes(new SubscriptionRequests(deps, audit)));
        all.add(new ArchiveRoutes());
        all.add(new AuthRoutes(accounts, new LoginThrottle(deps.clock())));
        all.add(new StaffRoutes(accounts));
        all.add(new ListRoutes());
        all.add(new MemberRoutes());
        all.add(new ImportRoutes(audit));
        all.add(new PostRoutes());
        all.addAll(modules);
        support.menu = all.stream().flatMap(m -> m.menu().stream()).toList();

        boolean https = deps.settings().server().publicUrl().startsWith("https://");
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = deps.settings().web().host();
            cfg.jetty.port = deps.settings().web().port();
            cfg.http.maxRequestSize = 32L * 1024 * 1024;
            cfg.jetty.multipartConfig.maxFileSize(32, SizeUnit.MB);
            cfg.jetty.multipartConfig.maxTotalRequestSize(33, SizeUnit.MB);
            cfg.jetty.modifyServletContextHandler(handler -> {
                SessionHandler sessions = new SessionHandler();
                sessions.setSessionCookie("KITAMOTO_SESSION");
                sessions.setHttpOnly(true);
                sessions.setSecureRequestOnly(https);
                sessions.setSameSite(HttpCookie.SameSite.LAX);
                sessions.setMaxInactiveInterval(8 * 3600);
                handler.setSessionHandler(sessions);
            });
            var routes = cfg.routes;
            routes.before(ctx -> {
                SecurityHeaders.apply(ctx);
                if (!Csrf.isSafeMethod(ctx.method()) && !Csrf.isExempt(ctx.path()) && !Csrf.valid(ctx)) {
                    log.info("refused {} {} from {}: missing or wrong CSRF token", ctx.method(), ctx.path(), ctx.ip());
                    support.errorPage(ctx, HttpStatus.FORBIDDEN, "フォームの有効期限が切れたか、不正な送信です。"
                            + "ページを開き直してから、もう一度お試しください。");
                    throw new Halt();
                }
            });
            routes.before("/staff/*", ctx -> {
                String p = ctx.path();
                if (!p.equals("/staff/login")) {
                    support.requireStaff(ctx);
                }
            });
            for (WebModule m : all) {
                m.register(routes, support);
            }
            routes.exception(Halt.class, (e, ctx) -> {
            });
            routes.exception(HttpResponseException.class, (e, ctx) ->
                    support.errorPage(ctx, HttpStatus.forStatus(e.getStatus()), null));
            routes.exception(Exception.class, (e, ctx) -> {
                String ref = Tokens.newToken().substring(0, 8);
                log.error("request {} {} failed (reference {})", ctx.method(), ctx.path(), ref, e);
                support.errorPage(ctx, HttpStatus.INTERNAL_SERVER_ERROR,
                        "サーバーで問題が発生しました。お手数ですが、時間をおいてもう一度お試しください。（参照番号 " + ref + "）");
            });
            routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    support.errorPage(ctx, HttpStatus.NOT_FOUND, null);
                }
            });
        });
        app.start();
        log.info("admin web listening on {}:{}", deps.settings().web().host(), app.port());
        return new AdminWeb(app, support);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }

    /** The implementation of {@link WebSupport} shared by every route group. */
    public static final class Support implements WebSupport {
        private static final String STAFF_ID = "staffId";
        private static final String FLASH = "flash";
        private final Deps deps;
        private final TemplateEngine templates;
        private final StaffAccounts accounts;
        private final AuditLog audit;
        volatile List<WebModule.MenuLink> menu = List.of();

        Support(Deps deps, TemplateEngine templates, StaffAccounts accounts, AuditLog audit) {
            this.deps = deps;
            this.templates = templates;
            this.accounts = accounts;
            this.audit = audit;
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
            return new Page(title, user, csrfToken(ctx), flash, menu.stream().filter(l -> l.shownTo(user)).toList());
        }

        @Override
        public Optional<StaffUser> staff(Context ctx) {
            var session = ctx.req().getSession(false);
            if (session == null) {
                return Optional.empty();
            }
            Object id = session.getAttribute(STAFF_ID);
            if (!(id instanceof Long staffId)) {
                return Optional.empty();
            }
            Optional<StaffUser> cached = Optional.ofNullable(ctx.attribute("staffUser"));
            if (cached.isPresent()) {
                return cached;
            }
            Optional<StaffUser> user = accounts.byId(staffId);
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
                errorPage(ctx, HttpStatus.UNAUTHORIZED, "ログインしてください。");
                throw new Halt();
            }
            return user.get();
        }

        @Override
        public void require(Context ctx, boolean allowed) {
            if (!allowed) {
                errorPage(ctx, HttpStatus.FORBIDDEN, "このリストを操作する権限がありません。");
                throw new Halt();
            }
        }

        /** Signs a staff member in, with a new session id (session fixation). */
        public void signIn(Context ctx, StaffUser user) {
            ctx.req().getSession(true);
            ctx.req().changeSessionId();
            ctx.sessionAttribute(STAFF_ID, user.id());
            // A fresh CSRF token for the signed-in session.
            ctx.sessionAttribute("csrf", null);
        }

        public void signOut(Context ctx) {
            var session = ctx.req().getSession(false);
            if (session != null) {
                session.invalidate();
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
            audit.record(actor(ctx), ctx.ip(), action, listId, target, detail);
        }

        @Override
        public void audit(SqlSession session, Context ctx, String action, Long listId, String target, String detail) {
            audit.record(session, actor(ctx), ctx.ip(), action, listId, target, detail);
        }

        private String actor(Context ctx) {
            return staff(ctx).map(StaffUser::username).orElse("public");
        }

        public AuditLog auditLog() {
            return audit;
        }

        @Override
        public Deps deps() {
            return deps;
        }

        @Override
        public void errorPage(Context ctx, HttpStatus status, String message) {
            String text = message != null ? message : switch (status.getCode()) {
                case 400 -> "入力内容を確認してください。";
                case 401 -> "ログインしてください。";
                case 403 -> "このページを表示する権限がありません。";
                case 404 -> "ページが見つかりません。アドレスをご確認ください。";
                case 405 -> "この操作はできません。";
                case 413 -> "ファイルが大きすぎます。";
                default -> "サーバーで問題が発生しました。時間をおいてもう一度お試しください。";
            };
            ctx.status(status);
            Map<String, Object> params = new HashMap<>();
            params.put("page", page(ctx, "エラー"));
            params.put("status", status.getCode());
            params.put("message", text);
            try {
                render(ctx, "error.jte", params);
            } catch (RuntimeException e) {
                ctx.contentType("text/plain; charset=UTF-8").result(text);
            }
        }
    }
}
