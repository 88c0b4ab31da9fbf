package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process level, with run.sh's JVM flags ({@link ServerProcess}, {@code -Xmx160m}): twelve senders post a 9 MB
 * message at the same moment, as the Postfix in front does after an outage. Before the intake counted its memory,
 * twenty such posts ran the server out of heap (six were answered 451 by James's catch-all, and the error struck
 * other threads too); with the intake bounded, delivery did next: the DKIM signer's cache and the dispatcher's held
 * a dozen such posts, and each MIME level allocated the whole message before its parts were made. Now the posts
 * that do not fit hear 452 4.3.1 at MAIL FROM and come again, as a sender's server does; delivery takes the rows of
 * a post only while the posts in hand fit its share of the heap; and every post is stored and delivered, with no
 * OutOfMemoryError in the log.
 */
class ConcurrentLargePostsTest {
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+)");
    private static final int SENDERS = 12;
    private static final int MEMBERS = 2;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;

    @Test
    void twelveNineMegabytePostsAtOnceAreAllStoredAndDeliveredWithinTheHeap() throws Exception {
        int smarthost = greenMail.getSmtp().getPort();
        Settings settings = TestSettings.forTest(dataDir, smarthost, Map.of());
        String list = "bunka@" + settings.server().domain();
        BunkaMembers.subscribe(settings, MEMBERS);
        ServerProcess server = ServerProcess.start(Main.class, TestSettings.env(dataDir, smarthost, Map.of()), READY);
        AtomicInteger deferred = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            int port = Integer.parseInt(server.readyGroup(1));
            List<Future<?>> posts = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                byte[] message = message(list, i);
                posts.add(senders.submit(() -> {
                    // Tried again every half second, as a sender's server would (much later), until stored.
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                            .until(() -> post(port, list, message, deferred));
                    return null;
                }));
            }
            for (Future<?> post : posts) {
                post.get();
            }
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> greenMail.getReceivedMessages().length == SENDERS * MEMBERS);
        } finally {
            senders.shutdownNow();
            server.stop();
        }
        assertThat(deferred.get()).as("posts deferred with 452 4.3.1").isPositive();
        assertThat(server.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
        assertThat(server.output()).anyMatch(line -> line.contains("does not fit in the intake's memory now"));
    }

    /** One attempt: true once stored (250), false when deferred (452 4.3.1); anything else fails the test. */
    private static boolean post(int port, String list, byte[] message, AtomicInteger deferred) throws Exception {
        try (RawSmtpClient client = new RawSmtpClient("127.0.0.1", port)) {
            assertThat(client.command("EHLO sender.example.jp")).startsWith("250");
            String mail = client.command("MAIL FROM:<member0@example.jp> SIZE=" + message.length);
            if (mail.startsWith("452 4.3.1")) {
                deferred.incrementAndGet();
                return false;
            }
            assertThat(mail).startsWith("250");
            assertThat(client.command("RCPT TO:<" + list + ">")).startsWith("250");
            String stored = client.data(message);
            assertThat(stored).startsWith("250");
            return true;
        }
    }

    private static byte[] message(String list, int n) {
        byte[] attachment = new byte[6_700_000];
        new Random(n).nextBytes(attachment);
        String m = "From: member0@example.jp\r\nTo: " + list + "\r\nSubject: flyer " + n + "\r\n"
                + "Message-ID: <flyer-" + n + "@example.jp>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nflyer attached\r\n"
                + "--b1\r\nContent-Type: application/pdf; name=\"flyer.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--b1--\r\n";
        return m.getBytes(StandardCharsets.US_ASCII);
    }
}
