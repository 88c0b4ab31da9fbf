package jp.kitamoto.lists.mail.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Protocol tier: the delivery client's reused connection against a real SMTP server (GreenMail) on a free port.
 * (Was SmtpSenderTest, of the Jakarta Mail client this one replaced; the assertions are the same.)
 */
class SmarthostGreenMailTest {
    private static final byte[] MESSAGE = "From: a@example.jp\r\nSubject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final PreparedPost POST = new PreparedPost(1, new ListAddresses("l", "lists.example"), PostOrigin.SMTP,
            MESSAGE);

    private static Copy copy(long id, String to) {
        return new Copy(new DueDelivery(id, 1, to, "t", 0, 0), POST, "l-bounces+t@lists.example", to, new byte[0]);
    }

    private static SmarthostClient client(int port, PipeliningClientTest.FakeFlow flow, int timeoutMs) {
        return new SmarthostClient(new SmarthostOptions("127.0.0.1", port, "lists.example", timeoutMs, timeoutMs,
                60_000, StartTls.OFF, null, 16), 1, flow);
    }

    @Test
    void aConnectionTheSmarthostDroppedWhileIdleIsReopenedForTheSameCopy() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        GreenMail first = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        first.start();
        PipeliningClientTest.FakeFlow flow = new PipeliningClientTest.FakeFlow();
        SmarthostClient sender = client(port, flow, 5000);
        try {
            flow.queue.add(copy(1, "x@example.jp"));
            sender.kick();
            await().atMost(Duration.ofSeconds(10)).until(() -> flow.results.containsKey("x@example.jp"));
            assertThat(flow.results.get("x@example.jp").kind()).isEqualTo(SendResult.Kind.SENT);
            first.stop(); // closes the connection the client keeps open
            GreenMail second = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            second.start();
            try {
                flow.queue.add(copy(2, "y@example.jp"));
                sender.kick();
                await().atMost(Duration.ofSeconds(10)).until(() -> flow.results.containsKey("y@example.jp"));
                SendResult again = flow.results.get("y@example.jp");
                assertThat(again.kind()).as(again.reply()).isEqualTo(SendResult.Kind.SENT);
                assertThat(second.getReceivedMessages()).hasSize(1);
            } finally {
                second.stop();
            }
        } finally {
            sender.shutdown(2000);
        }
    }

    @Test
    void aSmarthostThatIsDownIsATemporaryFailure() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        PipeliningClientTest.FakeFlow flow = new PipeliningClientTest.FakeFlow();
        SmarthostClient sender = client(port, flow, 2000);
        try {
            flow.queue.add(copy(1, "x@example.jp"));
            sender.kick();
            await().atMost(Duration.ofSeconds(10)).until(() -> flow.results.containsKey("x@example.jp"));
            SendResult result = flow.results.get("x@example.jp");
            assertThat(result.kind()).isEqualTo(SendResult.Kind.TEMPORARY);
            assertThat(result.reply()).contains("cannot connect");
        } finally {
            sender.shutdown(2000);
        }
    }

    @Test
    void carrierAddressesTravelQuotedOnTheWire() {
        assertThat(SmtpPaths.forWire("taro..yamada.@docomo.ne.jp")).isEqualTo("\"taro..yamada.\"@docomo.ne.jp");
        assertThat(SmtpPaths.forWire("taro.yamada@docomo.ne.jp")).isEqualTo("taro.yamada@docomo.ne.jp");
        assertThat(SmtpPaths.forWire("bunka-bounces+abc@ml.example")).isEqualTo("bunka-bounces+abc@ml.example");
    }
}
