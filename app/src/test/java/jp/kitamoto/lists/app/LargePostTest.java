package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.app.cluster.CountingSmarthost;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process level, with run.sh's JVM flags ({@link ServerProcess}): a post with a 3 MB attachment (a flyer as a PDF)
 * reaches every member, through a smarthost with CHUNKING (copies written ahead, 16 a connection on 32 connections)
 * and through one without (a copy in flight a connection). Before the copies were written in slices as the socket
 * took them, each copy went into direct memory whole: 32 connections × 16 copies × 4 MB against run.sh's 64 MB, and
 * the I/O thread waited for memory forever while no copy left.
 */
class LargePostTest {
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+)");
    private static final int ATTACHMENT_BYTES = 3 * 1024 * 1024;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    private String domain;

    @Test
    void aPostWithAThreeMegabyteAttachmentReachesEveryMemberThroughAChunkingSmarthost() throws Exception {
        int members = 48;
        try (CountingSmarthost smarthost = new CountingSmarthost(true)) {
            Map<String, String> env = prepare(smarthost.port(), members);
            ServerProcess server = ServerProcess.start(Main.class, env, READY);
            try {
                post(server, "<flyer-bdat@example.jp>");
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> smarthost.arrivals().stream().map(CountingSmarthost.Arrival::recipient).distinct()
                                .count() == members);
            } finally {
                server.stop();
            }
            // Every copy whole: at least the attachment's base64 lines and the text around them.
            assertThat(smarthost.arrivals()).allSatisfy(a -> assertThat(a.octets()).isGreaterThan(base64Length()));
        }
    }

    @Test
    void aPostWithAThreeMegabyteAttachmentReachesEveryMemberIntactThroughDataAndTheDot() throws Exception {
        int members = 24;
        Map<String, String> env = prepare(greenMail.getSmtp().getPort(), members);
        ServerProcess server = ServerProcess.start(Main.class, env, READY);
        try {
            post(server, "<flyer-data@example.jp>");
            await().atMost(Duration.ofSeconds(90)).until(() -> greenMail.getReceivedMessages().length == members);
        } finally {
            server.stop();
        }
        MimeMessage copy = greenMail.getReceivedMessages()[members - 1];
        BodyPart pdf = ((Multipart) copy.getContent()).getBodyPart(1);
        try (InputStream in = pdf.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(attachment());
        }
    }

    private Map<String, String> prepare(int smarthostPort, int members) {
        Settings settings = TestSettings.forTest(dataDir, smarthostPort, Map.of());
        domain = settings.server().domain();
        BunkaMembers.subscribe(settings, members);
        return TestSettings.env(dataDir, smarthostPort, Map.of());
    }

    private void post(ServerProcess server, String messageId) throws Exception {
        try (RawSmtpClient client = new RawSmtpClient("127.0.0.1", Integer.parseInt(server.readyGroup(1)))) {
            String reply = client.send("member0@example.jp", new String[]{"bunka@" + domain}, message(domain, messageId));
            assertThat(reply).startsWith("250");
        }
    }

    private static byte[] message(String domain, String messageId) {
        StringBuilder m = new StringBuilder()
                .append("From: member0@example.jp\r\nTo: bunka@").append(domain).append("\r\n")
                .append("Subject: =?UTF-8?B?").append(Base64.getEncoder().encodeToString(
                        "秋の文化祭のチラシ".getBytes(StandardCharsets.UTF_8))).append("?=\r\n")
                .append("Message-ID: ").append(messageId).append("\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
                .append("--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString("チラシを添付します。".getBytes(StandardCharsets.UTF_8)))
                .append("\r\n--b1\r\nContent-Type: application/pdf; name=\"flyer.pdf\"\r\n")
                .append("Content-Disposition: attachment; filename=\"flyer.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString(attachment()))
                .append("\r\n--b1--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] attachment() {
        byte[] pdf = new byte[ATTACHMENT_BYTES];
        new Random(15).nextBytes(pdf);
        return pdf;
    }

    private static long base64Length() {
        return Base64.getMimeEncoder().encodeToString(attachment()).length();
    }
}
