package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.mail.posting.IncomingMessage;
import jp.kitamoto.lists.mail.posting.Receipt;
import jp.kitamoto.lists.mail.posting.Receiver;
import jp.kitamoto.lists.mail.routing.Route;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SMTP intake over a real socket on port 0, with a fake in place of the receiving service: what each RCPT and
 * each end of DATA is answered, and what the intake hands over (the routes found at RCPT, the envelope sender).
 * The lists are real (the seed lists in a fresh SQLite file): routing asks the list service.
 */
class SmtpIntakeTest {
    private static final byte[] MESSAGE = ("From: yamada@example.jp\r\nTo: bunka@ml.example.jp\r\nSubject: hello\r\n"
            + "Message-ID: <1@example.jp>\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    Database db;
    SmtpIntake intake;
    String domain;
    final List<IncomingMessage> received = new CopyOnWriteArrayList<>();
    /** What the fake does with each message, after recording it; parses like the real service by default. */
    volatile Function<IncomingMessage, Receipt> behaviour = in -> {
        MimeEntity.parse(in.raw());
        return new Receipt("<1@example.jp>", List.of("bunka: accepted as post 1"));
    };

    @BeforeEach
    void start() throws Exception {
        Settings settings = TestSettings.forTest(dir, 1);
        domain = settings.server().domain();
        db = TestDatabases.freshSqlite(dir.resolve("db"));
        ListService lists = new ListService(db, Clock.systemUTC());
        lists.seedIfEmpty(SeedLists.load());
        Receiver fake = in -> {
            received.add(in);
            return behaviour.apply(in);
        };
        intake = SmtpIntake.start(settings, new Recipients(settings.server().domain(), lists, (list, token) -> false), fake);
    }

    @AfterEach
    void stop() {
        intake.close();
        db.close();
    }

    private RawSmtpClient client() throws Exception {
        RawSmtpClient c = new RawSmtpClient("127.0.0.1", intake.port());
        c.command("EHLO client.example.jp");
        return c;
    }

    @Test
    void recipientShouldBeRefusedWhenNoSuchListIsHostedHere() throws Exception {
        try (RawSmtpClient c = client()) {
            assertThat(c.command("MAIL FROM:<someone@example.com>")).startsWith("250");
            assertThat(c.command("RCPT TO:<nosuchlist@" + domain + ">")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<bunka-nonsense@" + domain + ">")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<postmaster@" + domain + ">")).startsWith("550 5.1.1");
        }
    }

    @Test
    void recipientShouldBeRefusedAsRelayingWhenInAnotherDomain() throws Exception {
        try (RawSmtpClient c = client()) {
            assertThat(c.command("MAIL FROM:<someone@example.com>")).startsWith("250");
            assertThat(c.command("RCPT TO:<bunka@other.example>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<postmaster@other.example>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<abuse@other.example>")).startsWith("550 5.7.1");
        }
    }

    @Test
    void messageShouldBeHandedOverWithTheRoutesFoundAtRcpt() throws Exception {
        try (RawSmtpClient c = client()) {
            assertThat(c.command("MAIL FROM:<yamada@example.jp>")).startsWith("250");
            assertThat(c.command("RCPT TO:<BUNKA@" + domain.toUpperCase() + ">")).startsWith("250 2.1.5");
            assertThat(c.command("RCPT TO:<bunka-request@" + domain + ">")).startsWith("250 2.1.5");
            assertThat(c.command("RCPT TO:<bunka-bounces+abc234@" + domain + ">")).startsWith("250 2.1.5");
            assertThat(c.command("RCPT TO:<nosuchlist@" + domain + ">")).startsWith("550");
            assertThat(c.data(MESSAGE)).isEqualTo("250 2.0.0 Stored: bunka: accepted as post 1");
        }

        assertThat(received).hasSize(1);
        IncomingMessage in = received.get(0);
        assertThat(in.envelopeFrom()).isEqualTo("yamada@example.jp");
        assertThat(in.recipients()).extracting(r -> r.list().localPart()).containsExactly("bunka", "bunka", "bunka");
        assertThat(in.recipients()).extracting(Route::isPost).containsExactly(true, false, false);
        assertThat(in.recipients().get(1).address().command()).contains(CommandKind.REQUEST);
        assertThat(in.recipients().get(2).address().token()).contains("abc234");
        assertThat(new String(in.raw(), StandardCharsets.US_ASCII)).endsWith("\r\nbody\r\n");
    }

    @Test
    void routesShouldBeForgottenWhenTheTransactionIsReset() throws Exception {
        try (RawSmtpClient c = client()) {
            c.command("MAIL FROM:<yamada@example.jp>");
            c.command("RCPT TO:<bunka-request@" + domain + ">");
            assertThat(c.command("RSET")).startsWith("250");
            c.command("MAIL FROM:<yamada@example.jp>");
            c.command("RCPT TO:<bunka@" + domain + ">");
            assertThat(c.data(MESSAGE)).startsWith("250");
        }

        assertThat(received.get(0).recipients()).singleElement().extracting(Route::isPost).isEqualTo(true);
    }

    @Test
    void senderShouldHear250OnlyAfterTheReceiverHasReturned() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        behaviour = in -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Receipt("<1@example.jp>", List.of("bunka: accepted as post 7"));
        };
        try (RawSmtpClient c = client()) {
            c.command("MAIL FROM:<yamada@example.jp>");
            c.command("RCPT TO:<bunka@" + domain + ">");
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.data(MESSAGE);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            // The receiver has the message and has not returned: no reply may have been written yet.
            assertThat(reply).isNotDone();
            release.countDown();

            assertThat(reply.get(30, TimeUnit.SECONDS)).startsWith("250 2.0.0").contains("post 7");
        }
    }

    @Test
    void messageTheReceiverCannotReadAsMailShouldBeRefusedPermanently() throws Exception {
        // What counts as unreadable is the parser's business (since #14 only an empty message); the intake's is
        // to answer the receiver's MalformedMessageException with a permanent 554, not a 451 the client retries.
        behaviour = in -> {
            throw new MalformedMessageException("the message is empty");
        };
        try (RawSmtpClient c = client()) {
            String reply = c.send("yamada@example.jp", new String[]{"bunka@" + domain}, new byte[0]);

            assertThat(reply).startsWith("554 5.6.0").contains("the message is empty");
        }
    }

    @Test
    void failureToStoreShouldBeATemporaryErrorSoTheClientKeepsTheMessage() throws Exception {
        behaviour = in -> {
            throw new IllegalStateException("database is locked");
        };
        try (RawSmtpClient c = client()) {
            String reply = c.send("yamada@example.jp", new String[]{"bunka@" + domain}, MESSAGE);

            assertThat(reply).startsWith("451 4.3.0");
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void carrierSenderShouldReachTheReceiverAsWritten() throws Exception {
        try (RawSmtpClient c = client()) {
            assertThat(c.command("MAIL FROM:<taro..yamada.@docomo.ne.jp>")).startsWith("250");
            c.command("RCPT TO:<bunka@" + domain + ">");
            assertThat(c.data(MESSAGE)).startsWith("250");
        }

        assertThat(received).singleElement().extracting(IncomingMessage::envelopeFrom)
                .isEqualTo("taro..yamada.@docomo.ne.jp");
        assertThat(Optional.of(received.get(0).remoteAddress())).contains("127.0.0.1");
    }
}
