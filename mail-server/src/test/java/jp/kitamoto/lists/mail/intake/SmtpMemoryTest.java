package jp.kitamoto.lists.mail.intake;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The intake's memory for messages in hand ({@code smtp.limits.max-buffered-bytes}), over real sockets: a message
 * that does not fit is answered 452 4.3.1 (at MAIL FROM when it declared its size, else at the end of DATA) and comes
 * again later; what fits is received whole; and every byte of the memory is given back, whether the message was
 * stored, refused or abandoned halfway. The limit here is 1,500,000 bytes, and a message takes
 * {@link IntakeMemory#BYTES_PER_MESSAGE_BYTE} (5) times its size, in blocks of 64 KB while it arrives: one
 * 200,000-byte message fits, two do not.
 */
class SmtpMemoryTest {
    private static final int SIZE = 200_000;
    private static final long PER_BYTE = IntakeMemory.BYTES_PER_MESSAGE_BYTE;

    @TempDir
    Path dir;
    IntakeHarness server;

    private void start() throws Exception {
        server = IntakeHarness.start(dir, Map.of("KITAMOTO_SMTP__MAX_MESSAGE_BYTES", "250000",
                "KITAMOTO_SMTP__LIMITS__MAX_BUFFERED_BYTES", "1500000"));
    }

    private LineClient connect() throws Exception {
        LineClient c = server.connect();
        assertThat(c.command("EHLO client.example.jp")).startsWith("250").contains("SIZE");
        return c;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A message of about {@code bytes} bytes whose body lines name it, so the received one can be recognised. */
    private static String message(String name, int bytes) {
        StringBuilder sb = new StringBuilder("From: yamada@example.jp\r\nSubject: " + name
                + "\r\nMessage-ID: <" + name + "@example.jp>\r\n\r\n");
        String line = name + " " + "x".repeat(70) + "\r\n";
        while (sb.length() + line.length() < bytes) {
            sb.append(line);
        }
        return sb.toString();
    }

    private String startData(LineClient c, String mailFrom) throws Exception {
        String r = c.command(mailFrom);
        if (!r.startsWith("250")) {
            return r;
        }
        assertThat(c.command("RCPT TO:<" + server.list() + ">")).startsWith("250");
        return c.command("DATA");
    }

    @Test
    void declaredSizeThatDoesNotFitNowShouldHear452AtMailFromAndFitOnceTheFirstIsStored() throws Exception {
        start();
        LineClient first = connect();
        LineClient second = connect();
        assertThat(startData(first, "MAIL FROM:<a@example.jp> SIZE=" + SIZE)).startsWith("354");

        // The first message's memory was reserved at its MAIL FROM: the second hears 452 before it sends a byte.
        assertThat(second.command("MAIL FROM:<b@example.jp> SIZE=" + SIZE))
                .startsWith("452 4.3.1 Insufficient system storage");

        first.write(message("first", SIZE) + ".\r\n");
        assertThat(first.reply()).startsWith("250");
        assertThat(server.intake.bufferedBytes()).isZero();
        // Tried again (as the sender's server does), it fits and is received whole.
        assertThat(startData(second, "MAIL FROM:<b@example.jp> SIZE=" + SIZE)).startsWith("354");
        second.write(message("second", SIZE) + ".\r\n");
        assertThat(second.reply()).startsWith("250");

        assertThat(server.received).hasSize(2);
        assertThat(new String(server.received.get(1).raw(), StandardCharsets.US_ASCII))
                .endsWith(message("second", SIZE));
        assertThat(server.intake.bufferedBytes()).isZero();
        // Counted for the metrics (kitamoto_smtp_replies_total{code="452",enhanced="4.3.1"}), for an alert.
        assertThat(server.countedReplies).contains("452 4.3.1");
    }

    @Test
    void undeclaredMessageThatOutgrowsTheMemoryShouldHear452AtTheEndOfDataAndLoseNothingElse() throws Exception {
        start();
        LineClient first = connect();
        LineClient second = connect();
        assertThat(startData(first, "MAIL FROM:<a@example.jp>")).startsWith("354");
        String firstMessage = message("first", SIZE);
        first.write(firstMessage.substring(0, 150_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.intake.bufferedBytes() >= PER_BYTE * 2 * 65_536);

        assertThat(startData(second, "MAIL FROM:<b@example.jp>")).startsWith("354");
        second.write(message("second", SIZE) + ".\r\n");
        assertThat(second.reply()).startsWith("452 4.3.1 Insufficient system storage");
        assertThat(server.received).isEmpty();

        // The first, still arriving, is not disturbed by the second's refusal.
        first.write(firstMessage.substring(150_000) + ".\r\n");
        assertThat(first.reply()).startsWith("250");
        assertThat(server.received).hasSize(1);
        assertThat(new String(server.received.get(0).raw(), StandardCharsets.US_ASCII)).endsWith(firstMessage);
        // The second, sent again on the same connection, now fits.
        assertThat(startData(second, "MAIL FROM:<b@example.jp>")).startsWith("354");
        second.write(message("second", SIZE) + ".\r\n");
        assertThat(second.reply()).startsWith("250");
        assertThat(server.intake.bufferedBytes()).isZero();
    }

    @Test
    void clientThatGoesAwayShouldGiveBackWhatItsMessagesHeld() throws Exception {
        start();
        LineClient halfway = connect();
        assertThat(startData(halfway, "MAIL FROM:<a@example.jp> SIZE=" + SIZE)).startsWith("354");
        halfway.write(message("halfway", SIZE).substring(0, 100_000));
        LineClient reservedOnly = connect();
        assertThat(reservedOnly.command("MAIL FROM:<c@example.jp> SIZE=" + SIZE / 2)).startsWith("250");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.intake.bufferedBytes() >= PER_BYTE * (SIZE + SIZE / 2));

        halfway.reset();
        reservedOnly.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> server.intake.bufferedBytes() == 0);
        assertThat(server.received).isEmpty();
        // A new MAIL FROM on a connection replaces its earlier reservation instead of adding to it.
        LineClient again = connect();
        assertThat(again.command("MAIL FROM:<d@example.jp> SIZE=" + SIZE)).startsWith("250");
        assertThat(again.command("RSET")).startsWith("250");
        assertThat(again.command("MAIL FROM:<d@example.jp> SIZE=" + SIZE)).startsWith("250");
        assertThat(server.intake.bufferedBytes()).isEqualTo(PER_BYTE * SIZE);
    }

    @Test
    void messageOverTheSizeLimitShouldStillHear552AndHoldNoMemory() throws Exception {
        start();
        LineClient c = connect();
        assertThat(startData(c, "MAIL FROM:<a@example.jp>")).startsWith("354");
        c.write(message("big", 300_000) + ".\r\n");

        assertThat(c.reply()).startsWith("552 5.3.4");
        assertThat(server.intake.bufferedBytes()).isZero();
        assertThat(server.received).isEmpty();
    }
}
