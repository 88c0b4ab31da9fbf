package jp.kitamoto.lists.mail.intake;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every reply the intake gives is counted once, by its code and enhanced status, over a real socket on port 0:
 * the counted replies are exactly the replies the client read, in order, including the reply to the end of DATA
 * (which James writes past its result handlers) and the 421s our own Netty handlers write in James's stead.
 */
class SmtpReplyCountingTest {
    private static final String MESSAGE = "From: yamada@example.jp\r\nSubject: hello\r\nMessage-ID: <1@example.jp>\r\n"
            + "\r\nbody\r\n";

    @TempDir
    Path dir;
    IntakeHarness server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eachReplyOfASessionShouldBeCountedOnceWithItsCodes() throws Exception {
        server = IntakeHarness.start(dir, Map.of());
        LineClient c = connect();
        List<String> heard = new ArrayList<>();
        heard.add(c.greeting);
        heard.add(c.command("EHLO client.example.jp"));
        heard.add(c.command("MAIL FROM:<yamada@example.jp>"));
        heard.add(c.command("RCPT TO:<nosuchlist@" + server.domain + ">"));
        heard.add(c.command("RCPT TO:<" + server.list() + ">"));
        heard.add(c.command("DATA"));
        c.write(MESSAGE + ".\r\n");
        heard.add(c.reply());
        heard.add(c.command("NOOP"));
        heard.add(c.command("QUIT"));

        assertThat(heard.get(3)).startsWith("550 5.1.1");
        assertThat(heard.get(6)).startsWith("250 2.0.0 Stored");
        // The server counts before it writes: once the client has read the last reply, all are counted.
        assertThat(server.countedReplies).containsExactlyElementsOf(heard.stream().map(SmtpReplyCountingTest::codes).toList());
        assertThat(server.countedReplies).containsExactly("220 none", "250 none", "250 2.1.0", "550 5.1.1",
                "250 2.1.5", "354 none", "250 2.0.0", "250 2.0.0", "221 2.0.0");
    }

    @Test
    void refusedConnectionsAndIdleTimeoutsShouldBeCountedToo() throws Exception {
        server = IntakeHarness.start(dir, Map.of("KITAMOTO_SMTP__LIMITS__MAX_CONNECTIONS_PER_CLIENT", "1",
                "KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", "", "KITAMOTO_SMTP__LIMITS__COMMAND_TIMEOUT_SECONDS", "1"));
        LineClient first = connect();
        LineClient second = connect();
        assertThat(second.greeting).startsWith("421 4.7.0");
        // The first one stays silent past the command timeout.
        assertThat(first.reply()).startsWith("421 4.4.2");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(server.countedReplies).containsExactlyInAnyOrder("220 none", "421 4.7.0", "421 4.4.2"));
    }

    @Test
    void replyCodesShouldBeReadFromTheFirstLineAndOnlyInSmtpGrammar() {
        List<String> counted = new ArrayList<>();
        SmtpReplyCounter into = (code, enhanced) -> counted.add(code + " " + enhanced);
        ReplyCodes.count(into, "550 5.1.1 <x@example.jp>: no such list here");
        ReplyCodes.count(into, "250-ml.example.jp Hello");
        ReplyCodes.count(into, "421 4.4.2 ml.example.jp No command for 300 seconds, closing connection\r\n");
        ReplyCodes.count(into, "250 2.0.0");
        ReplyCodes.count(into, "500 Line length exceeded. See RFC 2821 #4.5.3.1.");
        ReplyCodes.count(into, "250 2.0.0Stored");
        ReplyCodes.count(into, "452 9.9.9 not a class");
        ReplyCodes.count(into, "hello");
        assertThat(counted).containsExactly("550 5.1.1", "250 none", "421 4.4.2", "250 2.0.0", "500 none", "250 none",
                "452 none", "other none");
    }

    private LineClient connect() throws Exception {
        return server.connect();
    }

    /** What the counter should have been told for a reply the client read. */
    private static String codes(String reply) {
        List<String> counted = new ArrayList<>();
        ReplyCodes.count((code, enhanced) -> counted.add(code + " " + enhanced), reply);
        return counted.get(0);
    }
}
