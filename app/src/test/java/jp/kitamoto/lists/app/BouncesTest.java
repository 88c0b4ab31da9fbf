package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.bounces.BounceHandler;
import jp.kitamoto.lists.store.CommandMapper;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounces come back to the VERP address of one subscription; hard bounces on enough days suspend its delivery and
 * the owners are told; bounces count once a day and are forgotten after a week.
 */
class BouncesTest {
    /** The owner of every seed list (config/seed-lists.yml). */
    private static final String OWNER = "kyodo@city.kitamoto.example";

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    final MovableClock clock = new MovableClock();
    Application app;
    MailingList bunka;
    String domain;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false, clock);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** Sends one bounce and waits until the server has processed it; returns the processing result. */
    private String bounce(String bounceAddress, String action, String status) throws Exception {
        int before = processed().size();
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            // As the receiving MTA sends it: null envelope sender.
            assertThat(c.send("", new String[]{bounceAddress}, bytes(dsn(action, status)))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> processed().size() > before);
        List<InboundCommand> done = processed();
        return done.get(done.size() - 1).result();
    }

    private List<InboundCommand> processed() {
        return app.database().read(s -> s.getMapper(CommandMapper.class)
                .findByStateAndCommand(CommandState.DONE, CommandKind.BOUNCES, 1000)).stream()
                .sorted(java.util.Comparator.comparingLong(InboundCommand::id)).toList();
    }

    private Subscription now(Subscription s) {
        return app.members().byToken(s.token()).orElseThrow();
    }

    @Test
    void bounceToThePlainBouncesAddressShouldBeKeptButCountedAgainstNobody() throws Exception {
        Subscription member = app.members().subscribe(bunka.id(), "yamada@example.jp", "", SubscriptionState.ACTIVE);

        assertThat(bounce("bunka-bounces@" + domain, "failed", "5.1.1")).startsWith("no token:");
        assertThat(now(member).bounceScore()).isZero();
    }

    @Test
    void hardBouncesOnFiveDaysSuspendDeliveryToThatSubscriptionOnlyAndTellTheOwner() throws Exception {
        Subscription gone = app.members().subscribe(bunka.id(), "gone@example.jp", "", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), "fine@example.jp", "", SubscriptionState.ACTIVE);
        String bounceAddress = "bunka-bounces+" + gone.token() + "@" + domain;

        assertThat(bounce(bounceAddress, "delayed", "4.4.1")).as("a delay warning").startsWith("transient: not counted");
        assertThat(now(gone).bounceScore()).isZero();
        for (int day = 1; day <= BounceHandler.SUSPEND_AT; day++) {
            assertThat(bounce(bounceAddress, "failed", "5.1.1")).startsWith("permanent: bounce score " + day);
            assertThat(bounce(bounceAddress, "failed", "5.1.1")).as("a second bounce the same day")
                    .startsWith("permanent: already counted today");
            assertThat(now(gone).bounceScore()).isEqualTo(day);
            if (day < BounceHandler.SUSPEND_AT) {
                assertThat(now(gone).state()).isEqualTo(SubscriptionState.ACTIVE);
            }
            clock.advance(Duration.ofDays(1));
        }
        assertThat(now(gone).state()).isEqualTo(SubscriptionState.SUSPENDED);

        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, OWNER).isEmpty());
        MimeMessage notice = SmarthostInbox.inbox(smarthost, OWNER).get(0);
        assertThat(notice.getSubject()).contains("配信を停止した登録者があります");
        assertThat((String) notice.getContent()).contains("gone@example.jp").contains("/staff/lists/" + bunka.id() + "/members");

        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("fine@example.jp", new String[]{"bunka@" + domain},
                    "From: fine@example.jp\r\nSubject: after\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .contains("accepted");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "fine@example.jp").isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "gone@example.jp")).isEmpty();

        assertThat(app.members().setState(gone.id(), SubscriptionState.ACTIVE)).isTrue();
        assertThat(now(gone).bounceScore()).as("resuming forgives the bounces").isZero();
    }

    @Test
    void bouncesOlderThanAWeekAreForgotten() throws Exception {
        Subscription sub = app.members().subscribe(bunka.id(), "full@example.jp", "", SubscriptionState.ACTIVE);
        String bounceAddress = "bunka-bounces+" + sub.token() + "@" + domain;
        for (int day = 1; day <= 3; day++) {
            assertThat(bounce(bounceAddress, "failed", "5.2.2")).startsWith("permanent: bounce score " + day);
            clock.advance(Duration.ofDays(1));
        }
        clock.advance(BounceHandler.STALE_AFTER);
        assertThat(bounce(bounceAddress, "failed", "5.2.2")).startsWith("permanent: bounce score 1 (old score forgotten)");
        assertThat(now(sub).bounceScore()).isEqualTo(1);
        assertThat(now(sub).state()).isEqualTo(SubscriptionState.ACTIVE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String dsn(String action, String status) {
        return "From: MAILER-DAEMON@mx.example.jp\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
                + "--B\r\nContent-Type: text/plain\r\n\r\nnot delivered\r\n"
                + "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.jp\r\n\r\n"
                + "Final-Recipient: rfc822; gone@example.jp\r\nAction: " + action + "\r\nStatus: " + status + "\r\n"
                + "--B--\r\n";
    }
}
