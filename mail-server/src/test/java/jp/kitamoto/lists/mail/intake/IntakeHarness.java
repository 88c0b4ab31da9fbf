package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.posting.IncomingMessage;
import jp.kitamoto.lists.mail.posting.Receipt;
import jp.kitamoto.lists.mail.posting.Receiver;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An intake on port 0 over the seed lists in a fresh SQLite file, with a fake receiver that records what it is
 * handed (and on which thread) and answers like the real one. Settings come through the real loader, from
 * {@code KITAMOTO_*} overrides, so each test says the limit it exercises.
 */
final class IntakeHarness implements AutoCloseable {
    final Database db;
    final SmtpIntake intake;
    final String domain;
    final List<IncomingMessage> received = new CopyOnWriteArrayList<>();
    final List<String> receiverThreads = new CopyOnWriteArrayList<>();
    /** Every reply the intake counted, as "code enhanced" (such as "550 5.1.1"), in the order counted. */
    final List<String> countedReplies = new CopyOnWriteArrayList<>();
    private final List<LineClient> clients = new CopyOnWriteArrayList<>();

    private IntakeHarness(Path dir, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(overrides);
        Settings settings = TestSettings.forTest(dir, 1, env);
        domain = settings.server().domain();
        db = TestDatabases.freshSqlite(dir.resolve("db"));
        ListService lists = new ListService(db, Clock.systemUTC());
        lists.seedIfEmpty(SeedLists.load());
        Receiver fake = in -> {
            received.add(in);
            receiverThreads.add(Thread.currentThread().getName());
            MimeEntity.parse(in.raw());
            return new Receipt("<1@example.jp>", List.of("bunka: accepted as post " + received.size()));
        };
        intake = SmtpIntake.start(settings,
                new Recipients(settings.server().domain(), lists, (list, token) -> false), fake, Clock.systemUTC(),
                (code, enhanced) -> countedReplies.add(code + " " + enhanced));
    }

    static IntakeHarness start(Path dir, Map<String, String> overrides) throws Exception {
        return new IntakeHarness(dir, overrides);
    }

    /** A client on the intake, closed with the harness (so each test need not keep a list of them). */
    LineClient connect() throws Exception {
        LineClient c = new LineClient(intake.port());
        clients.add(c);
        return c;
    }

    String list() {
        return "bunka@" + domain;
    }

    @Override
    public void close() {
        for (LineClient c : clients) {
            try {
                c.close();
            } catch (java.io.IOException ignored) {
                // already closed by the server or the test
            }
        }
        intake.close();
        db.close();
    }
}
