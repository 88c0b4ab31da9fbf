package jp.kitamoto.lists.mail.intake;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the intake logs: nothing at WARN or ERROR for clients that go away (a probe closed 1,000 connections and
 * got 15,000 ERROR lines with stack traces), one WARN line per refused message with what an operator needs, and
 * threads with names that say what they are.
 */
class SmtpLoggingTest {
    @TempDir
    Path dir;
    IntakeHarness server;
    final ListAppender<ILoggingEvent> events = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() throws Exception {
        events.start();
        root.addAppender(events);
        server = IntakeHarness.start(dir, Map.of("KITAMOTO_SMTP__LIMITS__MAX_HEADER_FIELDS", "20",
                "KITAMOTO_SMTP__LIMITS__MAX_CONNECTIONS_PER_CLIENT", "1",
                "KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", ""));
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(events);
    }

    private List<ILoggingEvent> warnings() {
        return events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    @Test
    void connectionsResetByTheClientShouldLogNothingAtWarnOrError() throws Exception {
        for (int i = 0; i < 5; i++) {
            LineClient idle = server.connect();
            idle.reset();
            // One connection at a time: this server allows one per client (for the refusal test below).
            await().atMost(Duration.ofSeconds(10)).until(() -> server.intake.openConnections() == 0);
        }
        LineClient inData = server.connect();
        inData.command("EHLO client.example.jp");
        inData.command("MAIL FROM:<yamada@example.jp>");
        inData.command("RCPT TO:<" + server.list() + ">");
        inData.command("DATA");
        inData.write("Subject: cut off\r\n");
        inData.reset();

        await().atMost(Duration.ofSeconds(10)).until(() -> server.intake.openConnections() == 0);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void refusedMessageShouldBeOneWarnLineWithClientSenderMessageIdAndReason() throws Exception {
        try (LineClient c = server.connect()) {
            c.command("EHLO client.example.jp");
            String reply = c.send("hanako@example.jp", server.list(),
                    "X-A: 1\r\n".repeat(30) + "Message-ID: <too-many@example.jp>\r\nSubject: x\r\n\r\nbody\r\n");
            assertThat(reply).startsWith("552");
        }

        assertThat(warnings()).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("<hanako@example.jp>", "[127.0.0.1]", "<too-many@example.jp>", "552 5.3.4",
                        "more than 20 fields");
    }

    @Test
    void repeatedConnectionRefusalsShouldWarnOnceAMinutePerClient() throws Exception {
        try (LineClient kept = server.connect()) {
            assertThat(kept.greeting).startsWith("220");
            for (int i = 0; i < 5; i++) {
                try (LineClient refused = server.connect()) {
                    assertThat(refused.greeting).startsWith("421");
                }
            }
        }

        assertThat(warnings()).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("127.0.0.1", "too many connections");
    }

    @Test
    void hooksShouldRunOnThreadsNamedSmtpIo() throws Exception {
        try (LineClient c = server.connect()) {
            c.command("EHLO client.example.jp");
            assertThat(c.send("yamada@example.jp", server.list(), "Subject: x\r\n\r\nbody\r\n")).startsWith("250");
        }

        assertThat(server.receiverThreads).singleElement().asString().matches("smtp-io-\\d+");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .anyMatch(n -> n.matches("smtp-boss-\\d+"))
                .noneMatch(n -> n.startsWith("null-"));
    }
}
