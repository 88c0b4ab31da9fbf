package jp.kitamoto.lists.web;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.MailServer;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.support.WebDeps;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.TestSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real parts for a web test: a fresh SQLite file, the seed lists, the real mail server (its Distributor and
 * Moderation, delivery to the test's GreenMail) and admin-web, every port 0.
 */
final class WebTestServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "kanri-password-0001";

    final Settings settings;
    final MovableClock clock = new MovableClock();
    final Database db;
    final ListService lists;
    final MembershipService members;
    final MailServer mail;
    final AdminWeb web;

    WebTestServer(Path dataDir, int smarthostPort) throws Exception {
        settings = TestSettings.forTest(dataDir, smarthostPort,
                Map.of("KITAMOTO_SERVER__PUBLIC_URL", "http://127.0.0.1:1"));
        db = Database.open(settings);
        lists = new ListService(db, clock);
        lists.seedIfEmpty(SeedLists.load());
        members = new MembershipService(db, clock);
        mail = MailServer.start(settings, db, lists, clock);
        web = AdminWeb.start(new WebDeps(settings, db, clock, lists, members, mail.distributor(), mail.moderation()),
                List.of(), Optional.of(ADMIN_PASSWORD));
    }

    String base() {
        return "http://127.0.0.1:" + web.port();
    }

    /** Links in mail use server.public-url; tests point them at the port the web server really got. */
    String localise(String link) {
        return link.replace(settings.server().publicUrl(), base());
    }

    long listId(String localPart) {
        return lists.byLocalPart(localPart).orElseThrow().id();
    }

    @Override
    public void close() {
        web.stop();
        mail.close();
        db.close();
    }
}
