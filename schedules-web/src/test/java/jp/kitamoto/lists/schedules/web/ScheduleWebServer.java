package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.MailServer;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.AdminWeb;
import jp.kitamoto.lists.web.support.WebDeps;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real parts, as the app wires them: a fresh SQLite file, the seed lists, the real mail server (delivery to the
 * test's GreenMail), schedules with Quartz, and admin-web with {@link SchedulePages}; every port 0. Time comes from a
 * {@link MovableClock} starting on 2026-12-20 10:00 in Tokyo.
 */
final class ScheduleWebServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "kanri-password-0001";

    final Settings settings;
    final MovableClock clock = new MovableClock(ScheduleService.instant(LocalDateTime.of(2026, 12, 20, 10, 0)));
    final Database db;
    final ListService lists;
    final MembershipService members;
    final MailServer mail;
    final Schedules schedules;
    final AdminWeb web;

    ScheduleWebServer(Path dataDir, int smarthostPort) throws Exception {
        settings = TestSettings.forTest(dataDir, smarthostPort,
                Map.of("KITAMOTO_SERVER__PUBLIC_URL", "http://127.0.0.1:1"));
        db = Database.open(settings);
        lists = new ListService(db, clock);
        lists.seedIfEmpty(SeedLists.load());
        members = new MembershipService(db, clock);
        mail = MailServer.start(settings, db, lists, clock);
        schedules = new Schedules(db, clock, lists, mail.distributor(), settings, HolidayCalendar.packed());
        schedules.start();
        web = AdminWeb.start(new WebDeps(settings, db, clock, lists, members, mail.distributor(), mail.moderation()),
                List.of(new SchedulePages(schedules)), Optional.of(ADMIN_PASSWORD));
    }

    String base() {
        return "http://127.0.0.1:" + web.port();
    }

    long listId(String localPart) {
        return lists.byLocalPart(localPart).orElseThrow().id();
    }

    @Override
    public void close() {
        web.stop();
        schedules.stop();
        mail.close();
        db.close();
    }
}
