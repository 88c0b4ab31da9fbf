package jp.kitamoto.lists.app.digests;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Japanese mail survives a digest: an ISO-2022-JP post with a PDF attachment, a Shift_JIS post (with ①, ～ and 髙)
 * and a UTF-8 multipart/alternative post from the corpus ({@code src/test/resources/corpus}) go into one digest,
 * which is parsed back at GreenMail: each post inside is byte for byte the copy subscribers got (as stored for
 * delivery), its RFC 2047 subject decodes to the Japanese text, the attachment decodes to the original PDF, and the
 * table of contents is in the list's output charset.
 */
class DigestJapaneseCorpusTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String DIGEST = "digest@example.jp";
    /** Corpus file, its author, the subject subscribers see, the charset of its first text part (KEEP). */
    record Case(String file, String author, String subject, String charset) {
    }

    static final List<Case> CASES = List.of(
            new Case("mixed-pdf.eml", "sato@example.jp", "[bunka:00001] 議事録", "ISO-2022-JP"),
            new Case("sjis-cp932.eml", "yamada@example.jp", "[bunka:00002] 資料①～③", "Shift_JIS"),
            new Case("utf8-alternative.eml", "suzuki@example.jp", "[bunka:00003] 写真展のご案内", "UTF-8"));

    @TempDir
    Path dataDir;
    final MovableClock clock = new MovableClock(LocalDateTime.of(2027, 1, 15, 9, 0).atZone(JapanTime.ZONE).toInstant());
    Application app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    static byte[] corpus(String name) throws Exception {
        try (InputStream in = DigestJapaneseCorpusTest.class.getResourceAsStream("/corpus/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OutputCharset.class, names = {"KEEP", "ISO_2022_JP"})
    void japanesePostsAndTheirAttachmentSurviveTheDigestByteForByte(OutputCharset output) throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false, clock);
        String domain = app.settings().server().domain();
        MailingList l = app.lists().byLocalPart("bunka").orElseThrow();
        app.lists().update(new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(),
                l.kind(), l.policy(), l.archiveVisibility(), l.subjectTag(), l.footer(), output, l.signedFooter(),
                l.fromRewrite(), l.maxMessageBytes(), l.nextSequence(), l.state(), l.createdAt(), l.updatedAt()));
        MailingList bunka = app.lists().byLocalPart("bunka").orElseThrow();
        for (Case c : CASES) {
            app.members().subscribe(bunka.id(), c.author(), "", SubscriptionState.ACTIVE);
        }
        app.members().subscribe(bunka.id(), DIGEST, "", SubscriptionState.ACTIVE);
        DigestEndToEndTest.chooseDigest(app, bunka.id(), DIGEST);
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());

        try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            for (Case c : CASES) {
                assertThat(smtp.send(c.author(), new String[]{"bunka@" + domain}, corpus(c.file()))).startsWith("250");
            }
        }
        clock.set(LocalDateTime.of(2027, 1, 15, 18, 0).atZone(JapanTime.ZONE).toInstant());
        app.schedules().runDueNow();
        await().atMost(Duration.ofSeconds(60)).until(() -> !SmarthostInbox.inbox(smarthost, DIGEST).isEmpty()
                && app.database().read(s -> s.getMapper(DeliveryMapper.class).countPending()) == 0);
        List<MimeMessage> inbox = SmarthostInbox.inbox(smarthost, DIGEST);
        assertThat(inbox).hasSize(1);

        // Our own MIME reader: the bytes.
        MimeEntity digest = MimeEntity.parse(DigestEndToEndTest.raw(inbox.get(0)));
        assertThat(digest.mimeType()).isEqualTo("multipart/digest");
        assertThat(digest.parts()).hasSize(1 + CASES.size());
        MimeEntity toc = digest.parts().get(0);
        String tocCharset = output == OutputCharset.ISO_2022_JP ? "ISO-2022-JP" : "UTF-8";
        assertThat(Charsets.forLabel(toc.charset().orElseThrow())).isEqualTo(Charsets.forLabel(tocCharset));
        String subjectField = digest.rawValue("Subject").orElseThrow();
        assertThat(subjectField).matches("\\p{ASCII}*").containsIgnoringCase("=?" + tocCharset + "?");
        assertThat(HeaderWords.decode(subjectField)).contains("ダイジェスト", "（3件）");
        String tocText = TextBody.decode(toc);
        assertThat(tocText).doesNotContain("\uFFFD");
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            long postId = i + 1;
            MimeEntity part = digest.parts().get(i + 1);
            assertThat(part.mimeType()).isEqualTo("message/rfc822");
            byte[] prepared = app.database().read(s -> s.getMapper(PostMapper.class).selectForDelivery(postId))
                    .orElseThrow().prepared();
            assertThat(crlf(part.body())).as("%s inside the digest, byte for byte", c.file()).isEqualTo(crlf(prepared));
            MimeEntity inner = MimeEntity.parse(part.body());
            assertThat(HeaderWords.decode(inner.rawValue("Subject").orElseThrow())).isEqualTo(c.subject());
            assertThat(tocText).contains(c.subject());
            MimeEntity text = firstText(inner);
            assertThat(TextBody.decode(text)).doesNotContain("\uFFFD");
            if (output == OutputCharset.KEEP) {
                assertThat(Charsets.forLabel(text.charset().orElseThrow())).isEqualTo(Charsets.forLabel(c.charset()));
            }
        }
        MimeEntity pdf = MimeEntity.parse(digest.parts().get(1).body()).parts().get(1);
        assertThat(TextBody.decodedBytes(pdf)).as("the PDF attachment").isEqualTo(corpus("minutes.pdf"));
        assertThat(TextBody.decode(firstText(MimeEntity.parse(digest.parts().get(2).body()))))
                .contains("髙橋です。①から③までご確認ください。");

        // Jakarta Mail, as a mail program reads it: a digest whose parts are messages.
        MimeMultipart mp = (MimeMultipart) inbox.get(0).getContent();
        assertThat(mp.getContentType()).startsWith("multipart/digest");
        for (int i = 0; i < CASES.size(); i++) {
            BodyPart p = mp.getBodyPart(i + 1);
            assertThat(p.getContent()).isInstanceOf(MimeMessage.class);
            // Decoded with our reader: Jakarta Mail decodes Shift_JIS as JIS X 0208 only, and ① is Windows-31J.
            assertThat(HeaderWords.decode(((MimeMessage) p.getContent()).getHeader("Subject", null)))
                    .isEqualTo(CASES.get(i).subject());
        }
        assertThat(mp.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) mp.getBodyPart(0).getContent()).contains("[bunka:00003] 写真展のご案内");
    }

    private static MimeEntity firstText(MimeEntity e) {
        if (!e.isMultipart()) {
            return e;
        }
        return firstText(e.parts().get(0));
    }

    private static byte[] crlf(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
