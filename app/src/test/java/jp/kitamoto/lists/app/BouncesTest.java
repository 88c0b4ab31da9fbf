package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.bounces.BounceHandler;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bounces come back to the VERP address of one subscription; enough hard bounces suspend its delivery. */
class BouncesTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    Application app;
    MailingList bunka;
    String domain;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void hardBouncesSuspendDeliveryToThatSubscriptionOnlyAndWarningsDoNot() throws Exception {
        Subscription gone = app.members().subscribe(bunka.id(), "gone@example.jp", "", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), "fine@example.jp", "", SubscriptionState.ACTIVE);
        String bounceAddress = "bunka-bounces+" + gone.token() + "@" + domain;

        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            // A delay warning, then hard bounces, as the receiving MTA would send them (null envelope sender).
            assertThat(c.send("", new String[]{bounceAddress}, bytes(dsn("delayed", "4.4.1")))).startsWith("250");
            for (int i = 0; i < BounceHandler.SUSPEND_AT; i++) {
                c.command("RSET");
                assertThat(c.send("", new String[]{bounceAddress}, bytes(dsn("failed", "5.1.1")))).startsWith("250");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                app.members().byToken(gone.token()).orElseThrow().state() == SubscriptionState.SUSPENDED);
        assertThat(app.members().byToken(gone.token()).orElseThrow().bounceScore()).isEqualTo(BounceHandler.SUSPEND_AT);

        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("fine@example.jp", new String[]{"bunka@" + domain},
                    "From: fine@example.jp\r\nSubject: after\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .contains("accepted");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "fine@example.jp").isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "gone@example.jp")).isEmpty();
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
