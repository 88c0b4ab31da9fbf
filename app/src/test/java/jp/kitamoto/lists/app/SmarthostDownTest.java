package jp.kitamoto.lists.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** While the smarthost is down, copies wait in the database and are retried; nothing is lost. */
class SmarthostDownTest {
    @TempDir
    Path dataDir;

    @Test
    void copiesWaitWhileTheSmarthostIsDownAndGoOutWhenItReturns() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // free now, and nobody listens on it until GreenMail starts below
        }
        try (Application app = Application.start(TestSettings.forTest(dataDir, port), false)) {
            MailingList bunka = app.lists().byLocalPart("bunka").orElseThrow();
            app.members().subscribe(bunka.id(), "yamada@example.jp", "", SubscriptionState.ACTIVE);
            String domain = app.settings().server().domain();
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain},
                        ("From: yamada@example.jp\r\nSubject: down\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)))
                        .startsWith("250");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<Delivery> rows = app.database().read(s -> s.getMapper(DeliveryMapper.class).findByPost(1, 0, 10));
                return rows.size() == 1 && rows.get(0).attempts() >= 1;
            });
            Delivery waiting = app.database().read(s -> s.getMapper(DeliveryMapper.class).findByPost(1, 0, 10)).get(0);
            assertThat(waiting.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(waiting.lastReply()).contains("cannot connect");

            GreenMail smarthost = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smarthost.start();
            try {
                assertThat(smarthost.waitForIncomingEmail(20_000, 1)).isTrue();
                assertThat(smarthost.getReceivedMessages()[0].getSubject()).isEqualTo("[bunka:00001] down");
                await().atMost(Duration.ofSeconds(10)).until(() -> app.database()
                        .read(s -> s.getMapper(DeliveryMapper.class).findByPost(1, 0, 10)).get(0).state() == DeliveryState.SENT);
            } finally {
                smarthost.stop();
            }
        }
    }
}
