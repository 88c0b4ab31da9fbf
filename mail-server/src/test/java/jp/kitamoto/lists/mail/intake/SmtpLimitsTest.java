package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.mail.posting.IncomingMessage;
import jp.kitamoto.lists.mail.routing.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each limit of {@code smtp.limits} over real sockets on port 0, answered the standard way. Tests run from
 * 127.0.0.1, which the defaults exempt from the per-client limits, so those tests empty {@code exempt-clients}.
 */
class SmtpLimitsTest {
    private static final String MESSAGE = "From: yamada@example.jp\r\nSubject: hello\r\nMessage-ID: <limits@example.jp>\r\n"
            + "\r\nbody\r\n";

    @TempDir
    Path dir;
    IntakeHarness server;

    private void start(Map<String, String> limits) throws Exception {
        Map<String, String> env = new HashMap<>();
        limits.forEach((k, v) -> env.put("KITAMOTO_SMTP__LIMITS__" + k, v));
        server = IntakeHarness.start(dir, env);
    }

    private LineClient connect() throws Exception {
        LineClient c = server.connect();
        return c;
    }

    private LineClient connectWithEhlo() throws Exception {
        LineClient c = connect();
        assertThat(c.command("EHLO client.example.jp")).startsWith("250");
        return c;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectionOverThePerClientLimitShouldHear421AndBeClosed() throws Exception {
        start(Map.of("MAX_CONNECTIONS_PER_CLIENT", "2", "EXEMPT_CLIENTS", ""));
        LineClient first = connect();
        connect();

        LineClient third = connect();

        assertThat(first.greeting).startsWith("220");
        assertThat(third.greeting).startsWith("421 4.7.0").contains("from your address (limit 2)");
        assertThat(third.closedByServer()).isTrue();
        // A closed connection gives its place back (the refused one is gone too).
        first.command("QUIT");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.intake.openConnections() == 1);
        assertThat(connect().greeting).startsWith("220");
    }

    @Test
    void connectionOverTheTotalLimitShouldHear421EvenFromAnExemptClient() throws Exception {
        start(Map.of("MAX_CONNECTIONS", "3", "MAX_CONNECTIONS_PER_CLIENT", "0"));
        for (int i = 0; i < 3; i++) {
            assertThat(connect().greeting).startsWith("220");
        }

        LineClient fourth = connect();

        assertThat(fourth.greeting).startsWith("421 4.7.0").contains("limit 3 in total");
        assertThat(fourth.closedByServer()).isTrue();
    }

    @Test
    void relayInTheExemptListShouldNotBeHeldToThePerClientLimits() throws Exception {
        start(Map.of("MAX_CONNECTIONS_PER_CLIENT", "1", "POSTS_PER_CLIENT_PER_MINUTE", "1",
                "EXEMPT_CLIENTS", "192.0.2.25, 127.0.0.0/8"));
        LineClient c = connectWithEhlo();
        for (int i = 0; i < 3; i++) {
            assertThat(connect().greeting).startsWith("220");
        }

        assertThat(c.send("yamada@example.jp", server.list(), MESSAGE)).startsWith("250");
        assertThat(c.send("yamada@example.jp", server.list(), MESSAGE)).startsWith("250");
        assertThat(c.send("yamada@example.jp", server.list(), MESSAGE)).startsWith("250");
    }

    @Test
    void silentClientShouldBeClosedAfterTheCommandTimeoutWith421() throws Exception {
        start(Map.of("COMMAND_TIMEOUT_SECONDS", "1"));
        LineClient c = connect();

        // Says nothing after the greeting: the server speaks first, then closes.
        assertThat(c.reply()).startsWith("421 4.4.2").contains("No command for 1 seconds");
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void clientThatStallsInsideDataShouldBeClosedAfterTheDataTimeout() throws Exception {
        start(Map.of("COMMAND_TIMEOUT_SECONDS", "60", "DATA_TIMEOUT_SECONDS", "1"));
        LineClient c = connectWithEhlo();
        c.command("MAIL FROM:<yamada@example.jp>");
        c.command("RCPT TO:<" + server.list() + ">");
        assertThat(c.command("DATA")).startsWith("354");
        c.write("Subject: half a message\r\n");

        assertThat(c.reply()).startsWith("421 4.4.2").contains("No data for 1 seconds");
        assertThat(c.closedByServer()).isTrue();
        assertThat(server.received).isEmpty();
    }

    @Test
    void recipientAfterTheHundredthShouldHear452() throws Exception {
        start(Map.of());
        LineClient c = connectWithEhlo();
        c.command("MAIL FROM:<yamada@example.jp>");
        for (int i = 1; i <= 100; i++) {
            assertThat(c.command("RCPT TO:<bunka-bounces+t" + i + "@" + server.domain + ">")).startsWith("250");
        }

        assertThat(c.command("RCPT TO:<bunka-bounces+t101@" + server.domain + ">"))
                .startsWith("452 4.5.3");
        assertThat(c.command("DATA")).startsWith("354");
        c.write(MESSAGE + ".\r\n");
        assertThat(c.reply()).startsWith("250");
        assertThat(server.received.get(0).recipients()).hasSize(100);
    }

    @Test
    void recipientGivenAgainShouldBeAcceptedButCountedAndRoutedOnce() throws Exception {
        start(Map.of("MAX_RECIPIENTS", "2"));
        LineClient c = connectWithEhlo();
        c.command("MAIL FROM:<yamada@example.jp>");
        assertThat(c.command("RCPT TO:<" + server.list() + ">")).startsWith("250");
        for (int i = 0; i < 50; i++) {
            assertThat(c.command("RCPT TO:<" + server.list() + ">")).startsWith("250 2.1.5");
        }
        assertThat(c.command("RCPT TO:<BUNKA@" + server.domain + ">")).startsWith("250 2.1.5");
        // The duplicates did not use up the limit of 2.
        assertThat(c.command("RCPT TO:<bunka-request@" + server.domain + ">")).startsWith("250");
        assertThat(c.command("RCPT TO:<bunka-owner@" + server.domain + ">")).startsWith("452 4.5.3");
        assertThat(c.command("DATA")).startsWith("354");
        c.write(MESSAGE + ".\r\n");
        assertThat(c.reply()).startsWith("250");

        IncomingMessage in = server.received.get(0);
        assertThat(in.recipients()).extracting(Route::isPost).containsExactly(true, false);
    }

    @Test
    void headerBlockOverTheByteLimitShouldBeRefusedWith552() throws Exception {
        start(Map.of("MAX_HEADER_BYTES", "2048"));
        LineClient c = connectWithEhlo();
        String big = "X-Filler: " + "a".repeat(70) + "\r\n";

        String reply = c.send("yamada@example.jp", server.list(), big.repeat(40) + MESSAGE);

        assertThat(reply).startsWith("552 5.3.4").contains("more than 2048 bytes");
        assertThat(server.received).isEmpty();
        // The connection stays usable: a normal message right after is accepted.
        assertThat(c.send("yamada@example.jp", server.list(), MESSAGE)).startsWith("250");
    }

    @Test
    void headerWithTooManyFieldsShouldBeRefusedWith552() throws Exception {
        start(Map.of("MAX_HEADER_FIELDS", "20"));
        LineClient c = connectWithEhlo();

        String reply = c.send("yamada@example.jp", server.list(), "X-A: 1\r\n".repeat(30) + MESSAGE);

        assertThat(reply).startsWith("552 5.3.4").contains("more than 20 fields");
        assertThat(server.received).isEmpty();
    }

    @Test
    void headerLineOverRfc5322sLimitShouldBeAcceptedForThePipelineToFold() throws Exception {
        // Liberal as an MTA: the line is read; WireSafetyStep.lastResort folds it before a copy leaves
        // (WireSafetyStepTest.aHeaderFieldOverTheLimitIsFoldedAndANulInItDropped).
        start(Map.of());
        LineClient c = connectWithEhlo();

        assertThat(c.send("yamada@example.jp", server.list(), "X-Long: " + "a".repeat(990) + "\r\n" + MESSAGE))
                .startsWith("250");
        assertThat(c.send("yamada@example.jp", server.list(), "X-Long: " + "a".repeat(3000) + "\r\n" + MESSAGE))
                .startsWith("250");
        assertThat(server.received).hasSize(2);
    }

    @Test
    void multipartsNestedDeeperThanTheLimitShouldBeRefusedWith554() throws Exception {
        start(Map.of());
        LineClient c = connectWithEhlo();

        assertThat(c.send("yamada@example.jp", server.list(), nested(20))).startsWith("250");
        assertThat(c.send("yamada@example.jp", server.list(), nested(21)))
                .startsWith("554 5.6.0").contains("nested more than 20 levels");
        assertThat(c.send("yamada@example.jp", server.list(), nested(60))).startsWith("554 5.6.0");
        assertThat(server.received).hasSize(1);
    }

    @Test
    void messageWithMorePartsThanTheLimitShouldBeRefusedWith554() throws Exception {
        start(Map.of("MAX_MIME_PARTS", "250"));
        LineClient c = connectWithEhlo();

        // More parts than the archive shows (200) is still a message: kept, and the archive says what it left out.
        assertThat(c.send("yamada@example.jp", server.list(), manyParts(250))).startsWith("250");
        assertThat(c.send("yamada@example.jp", server.list(), manyParts(251)))
                .startsWith("554 5.6.0").contains("more than 250 parts");
    }

    @Test
    void clientOverThePostRateShouldHear451WithTheTimeToWait() throws Exception {
        start(Map.of("POSTS_PER_CLIENT_PER_MINUTE", "2", "EXEMPT_CLIENTS", ""));
        LineClient c = connectWithEhlo();
        assertThat(c.send("yamada@example.jp", server.list(), MESSAGE)).startsWith("250");
        assertThat(c.send("yamada@example.jp", server.list(), MESSAGE)).startsWith("250");

        String reply = c.command("MAIL FROM:<yamada@example.jp>");

        assertThat(reply).startsWith("451 4.7.1").containsPattern("try again in [1-6]?[0-9] seconds");
        // Another connection from the same address is limited too: the count is per address.
        assertThat(connectWithEhlo().command("MAIL FROM:<other@example.jp>")).startsWith("451 4.7.1");
        assertThat(server.received).hasSize(2);
    }

    /** A message whose body is {@code levels} multiparts, each inside the previous one, with a text part inside. */
    static String nested(int levels) {
        StringBuilder head = new StringBuilder("From: yamada@example.jp\r\nSubject: deep\r\nMessage-ID: <deep@example.jp>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n");
        StringBuilder tail = new StringBuilder();
        for (int i = 1; i <= levels; i++) {
            head.append("--b").append(i).append("\r\n");
            if (i < levels) {
                head.append("Content-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\r\n\r\n");
            } else {
                head.append("Content-Type: text/plain\r\n\r\ninnermost\r\n");
            }
            tail.insert(0, "--b" + i + "--\r\n");
        }
        return head.append(tail).toString();
    }

    static String manyParts(int parts) {
        StringBuilder m = new StringBuilder("From: yamada@example.jp\r\nSubject: many\r\nMessage-ID: <many@example.jp>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            m.append("--b\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        return m.append("--b--\r\n").toString();
    }
}
