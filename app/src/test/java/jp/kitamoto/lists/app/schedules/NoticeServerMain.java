package jp.kitamoto.lists.app.schedules;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.mail.MailServer;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The mail server with the schedules, wired as the app wires them but without the web app, as a separate JVM for
 * the process-level kill test. Configured by KITAMOTO_* environment variables.
 */
public final class NoticeServerMain {
    private NoticeServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = new SettingsLoader().loadFrom(Optional.empty(), System.getenv());
        Clock clock = Clock.systemUTC();
        Database db = Database.open(settings);
        ListService lists = new ListService(db, clock);
        MailServer mail = MailServer.start(settings, db, lists, clock);
        Schedules schedules = new Schedules(db, clock, lists, mail.distributor(), settings);
        schedules.start();
        System.out.println("notice server ready");
        new CountDownLatch(1).await(); // runs until killed
    }
}
