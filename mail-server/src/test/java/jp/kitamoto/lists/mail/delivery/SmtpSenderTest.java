package jp.kitamoto.lists.mail.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Protocol tier: one reused connection to a real SMTP server (GreenMail) on a free port. */
class SmtpSenderTest {
    private static final byte[] MESSAGE = "From: a@example.jp\r\nSubject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aConnectionTheSmarthostDroppedWhileIdleIsReopenedForTheSameCopy() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        GreenMail first = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        first.start();
        try (SmtpSender sender = new SmtpSender("127.0.0.1", port, "lists.example", 5000, 5000)) {
            assertThat(sender.send("l-bounces+t@lists.example", "x@example.jp", new byte[0], MESSAGE).kind())
                    .isEqualTo(SendResult.Kind.SENT);
            first.stop(); // closes the connection the sender keeps open
            GreenMail second = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            second.start();
            try {
                SendResult again = sender.send("l-bounces+t@lists.example", "y@example.jp", new byte[0], MESSAGE);
                assertThat(again.kind()).as(again.reply()).isEqualTo(SendResult.Kind.SENT);
                assertThat(second.getReceivedMessages()).hasSize(1);
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void aSmarthostThatIsDownIsATemporaryFailure() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (SmtpSender sender = new SmtpSender("127.0.0.1", port, "lists.example", 2000, 2000)) {
            SendResult result = sender.send("l-bounces+t@lists.example", "x@example.jp", new byte[0], MESSAGE);
            assertThat(result.kind()).isEqualTo(SendResult.Kind.TEMPORARY);
            assertThat(result.reply()).contains("cannot connect");
        }
    }

    @Test
    void carrierAddressesTravelQuotedOnTheWire() {
        assertThat(SmtpPaths.forWire("taro..yamada.@docomo.ne.jp")).isEqualTo("\"taro..yamada.\"@docomo.ne.jp");
        assertThat(SmtpPaths.forWire("taro.yamada@docomo.ne.jp")).isEqualTo("taro.yamada@docomo.ne.jp");
        assertThat(SmtpPaths.forWire("bunka-bounces+abc@ml.example")).isEqualTo("bunka-bounces+abc@ml.example");
    }
}
