package jp.kitamoto.lists.app;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.MailServer;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.web.SchedulePages;
import jp.kitamoto.lists.web.AdminWeb;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.support.WebDeps;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

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

    private Application(Settings settings, DevSmarthost devSmarthost, Database db, ListService lists,
                        MembershipService members, MailServer mail, Schedules schedules, AdminWeb web) {
        this.settings = settings;
        this.devSmarthost = devSmarthost;
        this.db = db;
        this.lists = lists;
        this.members = members;
        this.mail = mail;
        this.schedules = schedules;
        this.web = web;
    }

    public static Application start(Settings requested, boolean embeddedSmarthost) throws Exception {
        return start(requested, embeddedSmarthost, Clock.systemUTC());
    }

    /** With another clock: tests that need days to pass (bounce counting, token expiry). */
    public static Application start(Settings requested, boolean embeddedSmarthost, Clock clock) throws Exception {
        long t0 = System.nanoTime();
        DevSmarthost dev = null;
        Settings settings = requested;
        if (embeddedSmarthost) {
            // Port 25 is the real MTA's; the development smarthost takes any free port unless one is configured.
            int port = requested.smarthost().port() == 25 ? 0 : requested.smarthost().port();
            dev = DevSmarthost.start(requested.smarthost().host(), port);
            settings = dev.pointAt(requested);
        }
        Database db = Database.open(settings);
        ListService lists = new ListService(db, clock);
        lists.seedIfEmpty(SeedLists.load());
        MembershipService members = new MembershipService(db, clock);
        // Unsubscriptions by mail go into the staff audit log beside those made on the web.
        MailServer mail = MailServer.start(settings, db, lists, clock, new AuditLog(db, clock));
        // Notices go through the same distribution and delivery rows as posts.
        Schedules schedules = new Schedules(db, clock, lists, mail.distributor(), settings);
        schedules.start();
        AdminWeb web = AdminWeb.start(new WebDeps(settings, db, clock, lists, members, mail.distributor(),
                mail.moderation()), List.of(new SchedulePages(schedules)));
        Application app = new Application(settings, dev, db, lists, members, mail, schedules, web);
        log.info("ready in {} ms: SMTP {}:{} for @{}, web http://{}:{}/, smarthost {}:{}, data in {}",
                (System.nanoTime() - t0) / 1_000_000, settings.smtp().host(), mail.smtpPort(),
                settings.server().domain(), settings.web().host(), web.port(), settings.smarthost().host(), settings.smarthost().port(),
                settings.database().url().isEmpty() ? settings.server().dataPath().toAbsolutePath() : "the database");
        return app;
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

    @Override
    public void close() {
        web.stop();
        schedules.stop();
        mail.close();
        db.close();
        if (devSmarthost != null) {
            devSmarthost.close();
        }
        log.info("stopped");
    }
}
