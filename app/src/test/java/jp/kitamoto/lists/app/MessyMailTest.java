package jp.kitamoto.lists.app;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.StrictSmarthost;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mail as real mailers send it reaches every member intact through a smarthost as strict as real ones (lines over
 * 998 octets refused with 500): long 8-bit lines, a Shift_JIS body under an ISO-2022-JP label, and the messages of
 * CPython's email test corpus that an MTA accepts although they are not well-formed (an mbox From line on top, a
 * header section without its blank line, no header section at all).
 */
class MessyMailTest {
    private static final List<String> MEMBERS = List.of("yamada@example.jp", "suzuki@example.jp");

    @TempDir
    Path dataDir;
    StrictSmarthost smarthost;
    Application app;
    MailingList bunka;
    String domain;

    @BeforeEach
    void start() throws Exception {
        smarthost = new StrictSmarthost();
        app = Application.start(TestSettings.forTest(dataDir, smarthost.port()), false);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
        for (String m : MEMBERS) {
            app.members().subscribe(bunka.id(), m, "", SubscriptionState.ACTIVE);
        }
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        smarthost.close();
    }

    private String post(byte[] message) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            return c.send(MEMBERS.get(0), new String[]{"bunka@" + domain}, message);
        }
    }

    private List<MimeEntity> copiesForEveryMember() {
        await().atMost(Duration.ofSeconds(20)).until(() -> MEMBERS.stream()
                .allMatch(m -> !smarthost.acceptedFor(m).isEmpty()));
        assertThat(smarthost.refusals()).as("the strict smarthost refused nothing").isEmpty();
        return MEMBERS.stream().map(m -> {
            assertThat(smarthost.acceptedFor(m)).as("copies for " + m).hasSize(1);
            return MimeEntity.parse(smarthost.acceptedFor(m).get(0).data());
        }).toList();
    }

    private static byte[] message(String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headers.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void aUtf8PostWithOne2400ByteLineReachesEveryMemberIntact() throws Exception {
        String paragraph = "北本市の市民活動団体の皆さまへ。".repeat(50); // 16 characters × 3 bytes × 50 = 2,400 bytes
        assertThat(paragraph.getBytes(StandardCharsets.UTF_8)).hasSize(2400);
        byte[] post = message("From: yamada@example.jp\nTo: bunka@" + domain + "\nSubject: long line\n"
                        + "Message-ID: <long-line@example.jp>\nMIME-Version: 1.0\n"
                        + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
                (paragraph + "\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(post(post)).startsWith("250");
        for (MimeEntity copy : copiesForEveryMember()) {
            assertThat(TextBody.decode(copy)).startsWith(paragraph + "\r\n");
        }
    }

    @Test
    void shiftJisUnderAnIso2022JpLabelReachesEveryMemberReadable() throws Exception {
        String text = "①㈱髙橋です。来週の会議の資料を送ります。\r\n";
        byte[] post = message("From: yamada@example.jp\nTo: bunka@" + domain + "\nSubject: mislabelled\n"
                        + "Message-ID: <mislabelled@example.jp>\nMIME-Version: 1.0\n"
                        + "Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n",
                text.getBytes(Charsets.WINDOWS_31J));
        assertThat(post(post)).startsWith("250");
        for (MimeEntity copy : copiesForEveryMember()) {
            // Read as a member's mail program does: by the copy's label, not by our detection.
            MimeMessage read = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(copy.toBytes()));
            String label = new jakarta.mail.internet.ContentType(read.getContentType()).getParameter("charset");
            byte[] bytes;
            try (InputStream in = read.getInputStream()) {
                bytes = in.readAllBytes();
            }
            assertThat(new String(bytes, Charsets.forLabel(label).orElseThrow())).startsWith(text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"msg_25.txt", "msg_43.txt", "msg_35.txt", "msg_19.txt"})
    void messagesOfPythonsEmailCorpusThatAnMtaAcceptsAreDistributedIntact(String name) throws Exception {
        byte[] original;
        try (InputStream in = getClass().getResourceAsStream("/python-email/" + name)) {
            original = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replaceAll("\r?\n", "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        String reply = post(original);
        assertThat(reply).startsWith("250");
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("as post (\\d+)").matcher(reply);
        assertThat(id.find()).as(reply).isTrue();
        java.util.Optional<String> defects = app.database().read(s -> s.getMapper(
                jp.kitamoto.lists.store.PostMapper.class).selectDefects(Long.parseLong(id.group(1))));
        assertThat(defects).as("what was forgiven is recorded on the post").isPresent();
        assertThat(defects.get()).isNotBlank();
        MimeEntity parsedOriginal = MimeEntity.parse(original);
        String originalBody = new String(parsedOriginal.body(), StandardCharsets.ISO_8859_1);
        for (MimeEntity copy : copiesForEveryMember()) {
            String copyText = new String(copy.toBytes(), StandardCharsets.ISO_8859_1);
            assertThat(copyText).as("the author's body, whole").contains(originalBody.strip());
            assertThat(copyText).doesNotStartWith("From ");
            assertThat(copy.rawValue("Subject").orElse("")).contains("[bunka:");
        }
    }

    @Test
    void anEmptyMessageIsTheOneThingRefused() throws Exception {
        assertThat(post(new byte[0])).startsWith("554 5.6.0");
    }
}
