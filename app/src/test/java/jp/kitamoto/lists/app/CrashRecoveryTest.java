package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.app.cluster.CountingSmarthost;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process level: the server is killed with SIGKILL while it delivers a post to 1,000 subscribers, then started
 * again on the same data. Every subscriber must end with a copy, and the duplicates must not exceed the number of
 * SMTP connections that were open at the kill (each may have sent one copy it had not yet recorded). Against a
 * smarthost that offers CHUNKING the bound is connections × {@code smarthost.chunking-window}.
 */
class CrashRecoveryTest {
    private static final int SUBSCRIBERS = 1000;
    private static final int CONNECTIONS = 4;
    private static final int WINDOW = 8;
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+)");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;

    @Test
    void killedMidDeliveryThenRestartedEverySubscriberGetsACopyWithBoundedDuplicates() throws Exception {
        Map<String, String> extra = Map.of("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(CONNECTIONS));
        int smarthostPort = smarthost.getSmtp().getPort();
        Settings settings = TestSettings.forTest(dataDir, smarthostPort, extra);
        Map<String, String> env = TestSettings.env(dataDir, smarthostPort, extra);
        prepareSubscribers(settings);

        ServerProcess first = ServerProcess.start(Main.class, env, READY);
        try (RawSmtpClient client = new RawSmtpClient("127.0.0.1", Integer.parseInt(first.readyGroup(1)))) {
            String reply = client.send("member0@example.jp", new String[]{"bunka@" + settings.server().domain()},
                    ("From: member0@example.jp\r\nTo: bunka@" + settings.server().domain()
                            + "\r\nSubject: crash test\r\nMessage-ID: <crash@example.jp>\r\n\r\nbody\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(reply).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                .until(() -> smarthost.getReceivedMessages().length >= 100);
        first.kill();
        int atKill = smarthost.getReceivedMessages().length;
        assertThat(atKill).as("the kill must land in the middle of the delivery").isLessThan(SUBSCRIBERS);

        ServerProcess second = ServerProcess.start(Main.class, env, READY);
        try {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> SmarthostInbox.distinctReturnPaths(smarthost) == SUBSCRIBERS);
            // Let any last in-flight copy land before counting duplicates.
            await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabases.pendingDeliveries(settings) == 0);
        } finally {
            second.stop();
        }
        int total = smarthost.getReceivedMessages().length;
        assertThat(SmarthostInbox.distinctReturnPaths(smarthost)).isEqualTo(SUBSCRIBERS);
        assertThat(total - SUBSCRIBERS).as("duplicates after the kill (copies at kill: %d)", atKill)
                .isBetween(0, CONNECTIONS);
    }

    @Test
    void withChunkingTheDuplicatesStayWithinConnectionsTimesTheWindow() throws Exception {
        try (CountingSmarthost chunkingSmarthost = new CountingSmarthost(true)) {
            Map<String, String> extra = Map.of("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(CONNECTIONS),
                    "KITAMOTO_SMARTHOST__CHUNKING_WINDOW", Integer.toString(WINDOW));
            Settings settings = TestSettings.forTest(dataDir, chunkingSmarthost.port(), extra);
            Map<String, String> env = TestSettings.env(dataDir, chunkingSmarthost.port(), extra);
            prepareSubscribers(settings);

            ServerProcess first = ServerProcess.start(Main.class, env, READY);
            try (RawSmtpClient client = new RawSmtpClient("127.0.0.1", Integer.parseInt(first.readyGroup(1)))) {
                String reply = client.send("member0@example.jp", new String[]{"bunka@" + settings.server().domain()},
                        ("From: member0@example.jp\r\nTo: bunka@" + settings.server().domain()
                                + "\r\nSubject: crash test\r\nMessage-ID: <crash-bdat@example.jp>\r\n\r\nbody\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                assertThat(reply).startsWith("250");
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                    .until(() -> chunkingSmarthost.arrivals().size() >= 100);
            first.kill();
            int atKill = chunkingSmarthost.arrivals().size();
            assertThat(atKill).as("the kill must land in the middle of the delivery").isLessThan(SUBSCRIBERS);

            ServerProcess second = ServerProcess.start(Main.class, env, READY);
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> distinctRecipients(chunkingSmarthost) == SUBSCRIBERS);
                await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabases.pendingDeliveries(settings) == 0);
            } finally {
                second.stop();
            }
            int total = chunkingSmarthost.arrivals().size();
            assertThat(distinctRecipients(chunkingSmarthost)).isEqualTo(SUBSCRIBERS);
            assertThat(total - SUBSCRIBERS).as("duplicates after the kill (copies at kill: %d)", atKill)
                    .isBetween(0, CONNECTIONS * WINDOW);
        }
    }

    private static long distinctRecipients(CountingSmarthost smarthost) {
        return smarthost.arrivals().stream().map(CountingSmarthost.Arrival::recipient).distinct().count();
    }

    private static void prepareSubscribers(Settings settings) {
        BunkaMembers.subscribe(settings, SUBSCRIBERS);
    }
}
