package jp.kitamoto.lists.app;

import jp.kitamoto.lists.app.monitoring.Monitoring;
import jp.kitamoto.lists.app.ops.Backups;
import jp.kitamoto.lists.app.ops.ServerLock;
import jp.kitamoto.lists.config.ConfigException;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.mail.MailServer;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.web.SchedulePages;
import jp.kitamoto.lists.web.AdminWeb;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.support.WebDeps;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.search.ArchiveIndex;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one process: database (migrated, seeded), mail server, schedules and admin web, started in that order
 * and stopped in reverse. Tests start it on port 0 with their own settings.
 */
public final class Application implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Application.class);

    private final Settings settings;
    private final DevSmarthost devSmarthost;
    private final Database db;
    private final ListService lists;
    private final MembershipService members;
    private final MailServer mail;
    private final Schedules schedules;
    private final AdminWeb web;
    private final ServerLock lock;
    private final Monitoring monitoring;

    /** The Quartz name of the daily backup ({@code backup.daily-at}). */
    public static final String DAILY_BACKUP = "backup";

    private Application(Settings settings, DevSmarthost devSmarthost, Database db, ListService lists,
                        MembershipService members, MailServer mail, Schedules schedules, AdminWeb web,
                        ServerLock lock, Monitoring monitoring) {
        this.settings = settings;
        this.devSmarthost = devSmarthost;
        this.db = db;
        this.lists = lists;
        this.members = members;
        this.mail = mail;
        this.schedules = schedules;
        this.web = web;
        this.lock = lock;
        this.monitoring = monitoring;
    }

    public static Application start(Settings requested, boolean embeddedSmarthost) throws Exception {
        return start(requested, embeddedSmarthost, Clock.systemUTC());
    }

    /** With another clock: tests that need days to pass (bounce counting, token expiry). */
    public static Application start(Settings requested, boolean embeddedSmarthost, Clock clock) throws Exception {
        return start(requested, embeddedSmarthost, clock, System.getenv());
    }

    /** With the environment the settings came from (KITAMOTO_ADMIN_INITIAL_PASSWORD is read there). */
    public static Application start(Settings requested, boolean embeddedSmarthost, Clock clock,
                                    Map<String, String> env) throws Exception {
        long t0 = System.nanoTime();
        Backups.checkSettings(requested);
        // Held for the life of the process, so that `restore` refuses while we run (see ServerLock for why a lock).
        ServerLock lock = Backups.sqliteFile(requested).map(f -> ServerLock.acquire(f, "server (SMTP port "
                + requested.smtp().port() + ", web port " + requested.web().port() + ")")).orElse(null);
        try {
            return start(requested, embeddedSmarthost, clock, env, lock, t0);
        } catch (Exception | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    private static Application start(Settings requested, boolean embeddedSmarthost, Clock clock,
                                     Map<String, String> env, ServerLock lock, long t0) throws Exception {
        DevSmarthost dev = null;
        Settings settings = requested;
        if (embeddedSmarthost) {
            // Port 25 is the real MTA's; the development smarthost takes any free port unless one is configured.
            int port = requested.smarthost().port() == 25 ? 0 : requested.smarthost().port();
            dev = DevSmarthost.start(requested.smarthost().host(), port);
            settings = dev.pointAt(requested);
        }
        Database db = Database.open(settings);
        // Posts archived before the search index existed (or by an older version) get their text now, before the
        // web pages answer; after that it is one cheap query per start.
        ArchiveIndex.backfill(db);
        ListService lists = new ListService(db, clock);
        lists.seedIfEmpty(SeedLists.load());
        MembershipService members = new MembershipService(db, clock);
        // Unsubscriptions by mail go into the staff audit log beside those made on the web.
        Monitoring.Meters meters = Monitoring.meters(settings);
        MailServer mail = MailServer.start(settings, db, lists, clock, new AuditLog(db, clock), meters.smtpReplies());
        // Notices go through the same distribution and delivery rows as posts.
        Schedules schedules = new Schedules(db, clock, lists, mail.distributor(), settings);
        schedules.start();
        if (!settings.backup().dailyAt().isEmpty()) {
            Settings forBackup = settings;
            schedules.quartz().scheduleDaily(DAILY_BACKUP, LocalTime.parse(settings.backup().dailyAt()),
                    ZoneId.of("Asia/Tokyo"), () -> Backups.backup(forBackup, Optional.empty(), clock));
            log.info("daily backup at {} Japan time into {}", settings.backup().dailyAt(),
                    settings.backup().path(settings.server()).toAbsolutePath());
        }
        AdminWeb web = AdminWeb.start(new WebDeps(settings, db, clock, lists, members, mail.distributor(),
                mail.moderation()), List.of(new SchedulePages(schedules), new DkimPage(mail.dkim())), initialAdminPassword(settings, env));
        // Last, so that /health/ready never answers for a server that is still starting.
        Monitoring monitoring = meters.start(settings, db, clock).orElse(null);
        Application app = new Application(settings, dev, db, lists, members, mail, schedules, web, lock, monitoring);
        if (lock != null) {
            lock.describeAs("server (SMTP port " + mail.smtpPort() + ", web port " + web.port() + ")");
        }
        log.info("ready in {} ms: SMTP {}:{} for @{}, web http://{}:{}/, smarthost {}:{}, data in {}",
                (System.nanoTime() - t0) / 1_000_000, settings.smtp().host(), mail.smtpPort(),
                settings.server().domain(), settings.web().host(), web.port(), settings.smarthost().host(), settings.smarthost().port(),
                settings.database().url().isEmpty() ? settings.server().dataPath().toAbsolutePath() : "the database");
        return app;
    }

    /**
     * The first staff account's password: the file {@code web.initial-admin-password-file} if set and present, else
     * {@value SettingsLoader#ENV_ADMIN_INITIAL_PASSWORD} (environment, or a system property of that name as before),
     * else empty (a random one is logged once). Used only while there is no staff account at all, so a file removed
     * after the first start is only mentioned, never an error.
     */
    static Optional<String> initialAdminPassword(Settings settings, Map<String, String> env) {
        String file = settings.web().initialAdminPasswordFile();
        if (!file.isEmpty()) {
            Path path = Path.of(file);
            if (Files.isRegularFile(path)) {
                try {
                    // A file written with echo ends in a newline that is not part of the password.
                    return Optional.of(Files.readString(path, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", ""));
                } catch (IOException e) {
                    throw new ConfigException("web.initial-admin-password-file: cannot read " + path + ": " + e.getMessage(), e);
                }
            }
            log.info("web.initial-admin-password-file {} does not exist (it is read only before the first staff account exists)",
                    path.toAbsolutePath());
        }
        return Optional.ofNullable(env.get(SettingsLoader.ENV_ADMIN_INITIAL_PASSWORD))
                .or(() -> Optional.ofNullable(System.getProperty(SettingsLoader.ENV_ADMIN_INITIAL_PASSWORD)));
    }

    public Settings settings() {
        return settings;
    }

    public Database database() {
        return db;
    }

    public ListService lists() {
        return lists;
    }

    public MembershipService members() {
        return members;
    }

    public MailServer mail() {
        return mail;
    }

    public int smtpPort() {
        return mail.smtpPort();
    }

    public int webPort() {
        return web.port();
    }

    public Schedules schedules() {
        return schedules;
    }

    /** Every HTTP route of the web app, {@code "GET /path/{param}"}. */
    public List<String> webRoutes() {
        return web.routes();
    }

    /** The port of the metrics and health listener; -1 when {@code metrics.enabled} is false. */
    public int metricsPort() {
        return monitoring == null ? -1 : monitoring.port();
    }

    @Override
    public void close() {
        if (monitoring != null) {
            monitoring.close();
        }
        web.stop();
        schedules.stop();
        mail.close();
        db.close();
        if (devSmarthost != null) {
            devSmarthost.close();
        }
        if (lock != null) {
            lock.close();
        }
        log.info("stopped");
    }
}
