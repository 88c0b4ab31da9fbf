package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process level: the server is killed with SIGKILL while it delivers a post to 1,000 subscribers, then started
 * again on the same data. Every subscriber must end with a copy, and the duplicates must not exceed the number of
 * SMTP connections that were open at the kill (each may have sent one copy it had not yet recorded).
 */
class CrashRecoveryTest {
    private static final int SUBSCRIBERS = 1000;
    private static final int CONNECTIONS = 4;
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+)");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;

    @Test
    void killedMidDeliveryThenRestartedEverySubscriberGetsACopyWithBoundedDuplicates() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(CONNECTIONS));
        Settings settings = TestSettings.forTest(dataDir, smarthost.getSmtp().getPort(), env);
        prepareSubscribers(settings);

        Child first = Child.start(dataDir, smarthost.getSmtp().getPort(), env);
        try (RawSmtpClient client = new RawSmtpClient("127.0.0.1", first.smtpPort)) {
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

        Child second = Child.start(dataDir, smarthost.getSmtp().getPort(), env);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> distinctRecipients() == SUBSCRIBERS);
            // Let any last in-flight copy land before counting duplicates.
            await().atMost(Duration.ofSeconds(30)).until(() -> pendingRows(settings) == 0);
        } finally {
            second.stop();
        }
        int total = smarthost.getReceivedMessages().length;
        assertThat(distinctRecipients()).isEqualTo(SUBSCRIBERS);
        assertThat(total - SUBSCRIBERS).as("duplicates after the kill (copies at kill: %d)", atKill)
                .isBetween(0, CONNECTIONS);
    }

    private static long distinctRecipients() {
        return java.util.Arrays.stream(smarthost.getReceivedMessages()).map(CrashRecoveryTest::recipient)
                .distinct().count();
    }

    private static String recipient(MimeMessage m) {
        try {
            // The VERP envelope sender names the subscription; it is unique per subscriber.
            return m.getHeader("Return-Path", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long pendingRows(Settings settings) {
        try (Database db = Database.open(settings)) {
            return db.read(s -> s.getMapper(jp.kitamoto.lists.store.DeliveryMapper.class).countPending());
        }
    }

    private static void prepareSubscribers(Settings settings) {
        try (Database db = Database.open(settings)) {
            ListService lists = new ListService(db, Clock.systemUTC());
            lists.seedIfEmpty(SeedLists.load());
            MailingList bunka = lists.byLocalPart("bunka").orElseThrow();
            MembershipService members = new MembershipService(db, Clock.systemUTC());
            db.inTransaction(s -> {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    members.subscribe(s, bunka.id(), "member" + i + "@example.jp", "", SubscriptionState.ACTIVE);
                }
                return null;
            });
        }
    }

    /** The server as a separate JVM, started the way the README starts it (Main, configured by environment). */
    private static final class Child {
        final Process process;
        final int smtpPort;
        final List<String> output;

        private Child(Process process, int smtpPort, List<String> output) {
            this.process = process;
            this.smtpPort = smtpPort;
            this.output = output;
        }

        static Child start(Path dataDir, int smarthostPort, Map<String, String> extraEnv) throws Exception {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder pb = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, Main.class.getName());
            pb.redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("KITAMOTO_"));
            env.put("KITAMOTO_SERVER__DATA_DIR", dataDir.toString());
            env.put("KITAMOTO_SMTP__PORT", "0");
            env.put("KITAMOTO_WEB__PORT", "0");
            env.put("KITAMOTO_SMARTHOST__PORT", Integer.toString(smarthostPort));
            env.put("KITAMOTO_DELIVERY__POLL_MILLIS", "100");
            env.putAll(extraEnv);
            Process p = pb.start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (Exception ignored) {
                    // The process was killed.
                }
            });
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || lines.stream().anyMatch(l -> READY.matcher(l).find()));
            String ready = lines.stream().filter(l -> READY.matcher(l).find()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("server did not start:\n"
                            + lines.stream().collect(Collectors.joining("\n"))));
            Matcher m = READY.matcher(ready);
            m.find();
            return new Child(p, Integer.parseInt(m.group(1)), lines);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            process.waitFor();
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

}
