package jp.kitamoto.lists.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.search.ArchiveSearch;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.web.api.ApiRoutes;
import jp.kitamoto.lists.web.api.Problem;
import jp.kitamoto.lists.web.archive.ArchiveQueries;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.ApiTokens;
import jp.kitamoto.lists.web.auth.LoginThrottle;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.csv.MemberExport;
import jp.kitamoto.lists.web.csv.MemberImport;
import jp.kitamoto.lists.web.http.Csrf;
import jp.kitamoto.lists.web.http.Halt;
import jp.kitamoto.lists.web.http.MemberCookie;
import jp.kitamoto.lists.web.http.SecurityHeaders;
import jp.kitamoto.lists.web.http.SharedSessions;
import jp.kitamoto.lists.web.http.StaffSessions;
import jp.kitamoto.lists.web.lists.ListAdmin;
import jp.kitamoto.lists.web.members.MemberAdmin;
import jp.kitamoto.lists.web.members.MemberSelfService;
import jp.kitamoto.lists.web.members.MemberSessions;
import jp.kitamoto.lists.web.members.MemberSignIn;
import jp.kitamoto.lists.web.members.SubscriptionRequests;
import jp.kitamoto.lists.web.posts.PostReview;
import jp.kitamoto.lists.web.publicpages.ArchiveRoutes;
import jp.kitamoto.lists.web.publicpages.CarrierHelpRoutes;
import jp.kitamoto.lists.web.publicpages.MemberPageRoutes;
import jp.kitamoto.lists.web.publicpages.SignedInMember;
import jp.kitamoto.lists.web.publicpages.LanguageRoutes;
import jp.kitamoto.lists.web.publicpages.PublicRoutes;
import jp.kitamoto.lists.web.staff.ApiTokenRoutes;
import jp.kitamoto.lists.web.staff.AuthRoutes;
import jp.kitamoto.lists.web.staff.ImportRoutes;
import jp.kitamoto.lists.web.staff.ListRoutes;
import jp.kitamoto.lists.web.lists.DigestAdmin;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.web.staff.MemberRoutes;
import jp.kitamoto.lists.web.staff.PostRoutes;
import jp.kitamoto.lists.web.staff.StaffAccess;
import jp.kitamoto.lists.web.staff.StaffRoutes;
import jp.kitamoto.lists.web.staff.DashboardRoutes;
import jp.kitamoto.lists.web.dashboard.DeliveryActivity;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.ConfirmationMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper;
import jp.kitamoto.lists.web.store.MemberSignInMapper;
import jp.kitamoto.lists.web.store.RosterMapper;
import jp.kitamoto.lists.web.store.StaffMapper;
import jp.kitamoto.lists.web.support.WebDeps;
import jp.kitamoto.lists.web.support.WebModule;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin web application: public pages (list index, subscribe, unsubscribe, RFC 8058 one-click, archive) and staff
 * pages (lists, members, CSV import and export, held posts, deliveries, audit log), in the mail server's process.
 *
 * <pre>
 * AdminWeb web = AdminWeb.start(new WebDeps(settings, db, clock, lists, memberships, distributor, moderation),
 *         List.of(extraModules...));
 * ... web.port() ... web.stop();
 * </pre>
 */
public final class AdminWeb implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminWeb.class);

    private final Javalin app;

    private AdminWeb(Javalin app) {
        this.app = app;
    }

    /** Starts on {@code web.host}:{@code web.port}; the initial admin password comes from the environment if set. */
    public static AdminWeb start(WebDeps deps, List<WebModule> modules) {
        return start(deps, modules, Optional.ofNullable(System.getenv(StaffAccounts.ENV_INITIAL_PASSWORD))
                .or(() -> Optional.ofNullable(System.getProperty(StaffAccounts.ENV_INITIAL_PASSWORD))));
    }

    /** Starts with an explicit initial admin password (used only if there is no staff account yet). */
    public static AdminWeb start(WebDeps deps, List<WebModule> modules, Optional<String> initialAdminPassword) {
        deps.database().addMappers(StaffMapper.class, AuditMapper.class, ConfirmationMapper.class, RosterMapper.class,
                ArchiveMapper.class, MemberSignInMapper.class, MemberPageMapper.class);
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
        StaffSessions sessions = new StaffSessions();
        Support support = new Support(deps, templates, accounts, sessions, audit);
        List<WebModule> all = new ArrayList<>(pages(deps, accounts, sessions, audit));
        all.addAll(modules);
        support.menu(all.stream().flatMap(m -> m.menu().stream()).toList());

        boolean https = deps.settings().server().publicUrl().startsWith("https://");
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = deps.settings().web().host();
            cfg.jetty.port = deps.settings().web().port();
            cfg.http.maxRequestSize = 32L * 1024 * 1024;
            cfg.jetty.multipartConfig.maxFileSize(32, SizeUnit.MB);
            cfg.jetty.multipartConfig.maxTotalRequestSize(33, SizeUnit.MB);
            cfg.jetty.modifyServletContextHandler(handler -> {
                SessionHandler jettySessions = new SessionHandler();
                jettySessions.setSessionCookie("KITAMOTO_SESSION");
                jettySessions.setHttpOnly(true);
                jettySessions.setSecureRequestOnly(https);
                jettySessions.setSameSite(HttpCookie.SameSite.LAX);
                jettySessions.setMaxInactiveInterval(8 * 3600);
                SharedSessions.useDatabase(jettySessions, deps.database().dataSource());
                handler.setSessionHandler(jettySessions);
            });
            var routes = cfg.routes;
            routes.before(ctx -> {
                SecurityHeaders.apply(ctx);
                if (!Csrf.isSafeMethod(ctx.method()) && !Csrf.isExempt(ctx.path()) && !Csrf.valid(ctx)) {
                    log.info("refused {} {} from {}: missing or wrong CSRF token", ctx.method(), ctx.path(), ctx.ip());
                    support.errorPage(ctx, HttpStatus.FORBIDDEN, support.texts(ctx).get("page.error.csrf"));
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
            // The API answers every error as RFC 9457 problem details, never as an HTML page.
            routes.exception(Problem.class, (e, ctx) -> e.write(ctx));
            routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (ApiRoutes.isApi(ctx.path())) {
                    Problem.write(ctx, e.getStatus(), Problem.titleFor(e.getStatus()), e.getMessage(), java.util.Map.of());
                } else {
                    support.errorPage(ctx, HttpStatus.forStatus(e.getStatus()), null);
                }
            });
            routes.exception(Exception.class, (e, ctx) -> {
                String ref = Tokens.newToken().substring(0, 8);
                log.error("request {} {} failed (reference {})", ctx.method(), ctx.path(), ref, e);
                if (ApiRoutes.isApi(ctx.path())) {
                    Problem.write(ctx, 500, Problem.titleFor(500), "時間をおいてもう一度お試しください。（参照番号 " + ref + "）",
                            java.util.Map.of("reference", ref));
                    return;
                }
                support.errorPage(ctx, HttpStatus.INTERNAL_SERVER_ERROR,
                        support.texts(ctx).format("page.error.500ref", "ref", ref));
            });
            routes.error(404, ctx -> {
                if (ApiRoutes.isApi(ctx.path()) && (ctx.result() == null || ctx.result().isEmpty())) {
                    Problem.write(ctx, 404, Problem.titleFor(404), "この URL の API はありません（docs/openapi.yaml）。",
                            java.util.Map.of());
                } else if (ctx.result() == null || ctx.result().isEmpty()) {
                    support.errorPage(ctx, HttpStatus.NOT_FOUND, null);
                }
            });
        });
        app.start();
        log.info("admin web listening on {}:{}", deps.settings().web().host(), app.port());
        return new AdminWeb(app);
    }

    /** admin-web's own pages, each given the services it calls. */
    private static List<WebModule> pages(WebDeps deps, StaffAccounts accounts, StaffSessions sessions,
                                         AuditLog audit) {
        ListService lists = deps.lists();
        PostQueries posts = new PostQueries(deps.database());
        StaffAccess access = new StaffAccess(lists);
        MemberAdmin members = new MemberAdmin(deps.database(), deps.memberships(), audit);
        PostReview review = new PostReview(deps.database(), posts, deps.moderation(), audit);
        ApiTokens tokens = new ApiTokens(deps.database(), deps.clock(), audit);
        // The member's page (#12): its own cookie and sessions, apart from the staff session.
        SignedInMember member = new SignedInMember(
                new MemberCookie(deps.settings().server().publicUrl().startsWith("https://")),
                new MemberSessions(deps.database(), deps.clock()));
        MemberSelfService self = new MemberSelfService(deps.database(), deps.clock(), deps.memberships(), audit);
        return List.of(
                new ApiRoutes(tokens, lists, members, review, audit, deps.settings().server().domain()),
                new ApiTokenRoutes(tokens, lists),
                new PublicRoutes(lists, deps.settings().server().domain(), new SubscriptionRequests(deps.settings(),
                        deps.database(), deps.clock(), deps.memberships(), deps.distributor(), audit)),
                new CarrierHelpRoutes(lists, deps.settings().server().domain()),
                new LanguageRoutes(deps.settings().server().publicUrl().startsWith("https://")),
                new ArchiveRoutes(lists, new ArchiveQueries(deps.database(), posts), member, self,
                        new ArchiveSearch(deps.database())),
                new MemberPageRoutes(new MemberSignIn(deps.settings(), deps.database(), deps.clock(),
                        deps.memberships(), deps.distributor(), audit), self, member,
                        new DigestSettings(deps.database(), deps.clock())),
                new AuthRoutes(accounts, new LoginThrottle(deps.database(), deps.clock()), sessions),
                new StaffRoutes(accounts, lists, deps.memberships(), posts, audit),
                new DashboardRoutes(new DeliveryActivity(deps.database(), deps.clock())),
                new ListRoutes(access, lists, new ListAdmin(lists, audit),
                        new DigestAdmin(new DigestSettings(deps.database(), deps.clock()), audit)),
                new MemberRoutes(access, members, new MemberExport(members)),
                new ImportRoutes(access, new MemberImport(deps.database(), deps.clock(), deps.memberships(), audit)),
                new PostRoutes(access, lists, posts, review));
    }

    public int port() {
        return app.port();
    }

    /** Every HTTP route as {@code "GET /path/{param}"} (the OpenAPI test compares the API's with docs/openapi.yaml). */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.endpoint.method.isHttpMethod())
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path).toList();
    }

    public void stop() {
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
