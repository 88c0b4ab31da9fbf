package jp.kitamoto.lists.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end over the Japanese corpus ({@code src/test/resources/corpus}, see its README): each file is posted by SMTP
 * to a list, and the copy a subscriber receives at GreenMail is checked against {@code manifest.json}: the subject
 * and body decode to the expected text with the prefix and footer, and untouched parts are byte-identical.
 */
class JapaneseCorpusTest {
    private static final String MEMBER = "member@example.jp";
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?[^?\\s]+\\?[BbQq]\\?[^?\\s]*\\?=");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    Application app;
    String domain;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
        domain = app.settings().server().domain();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    static Stream<JsonNode> corpus() throws IOException {
        try (InputStream in = resource("manifest.json")) {
            List<JsonNode> cases = new ArrayList<>();
            new ObjectMapper().readTree(in).forEach(cases::add);
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void subscriberGetsTheCorpusMessageIntact(JsonNode c) throws Exception {
        byte[] original = bytes(c.get("file").asText());
        MimeEntity sent = MimeEntity.parse(original);
        MailingList bunka = app.lists().byLocalPart("bunka").orElseThrow();
        MailingList configured = configure(bunka, c);
        String sender = c.has("envelopeFrom") ? c.get("envelopeFrom").asText()
                : jp.kitamoto.lists.domain.Addresses.extract(sent.rawValue("From").orElseThrow()).orElseThrow();
        app.members().subscribe(configured.id(), sender, "", SubscriptionState.ACTIVE);
        app.members().subscribe(configured.id(), MEMBER, "", SubscriptionState.ACTIVE);

        try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(smtp.send(sender, new String[]{"bunka@" + domain}, original)).startsWith("250").contains("accepted");
        }
        Post stored = app.database().read(s -> s.getMapper(PostMapper.class).findById(1L)).orElseThrow();
        assertThat(stored.raw()).as("the post is kept as received, under our Received field").endsWith(original);
        if (c.has("signed")) {
            MimeEntity prepared = MimeEntity.parse(app.database().read(s -> s.getMapper(PostMapper.class)
                    .selectForDelivery(1L)).orElseThrow().prepared());
            MimeEntity preparedSigned = c.get("signed").asText().equals("top") ? prepared
                    : part(prepared, c.get("signed").asText());
            assertThat(preparedSigned.body()).as("the signed body in the prepared copy").isEqualTo(sent.body());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, MEMBER).isEmpty());
        List<MimeMessage> inbox = SmarthostInbox.inbox(smarthost, MEMBER);
        assertThat(inbox).hasSize(1);
        MimeEntity copy = MimeEntity.parse(rawBytes(inbox.get(0)));

        checkSubject(c, copy);
        checkBody(c, copy);
        for (JsonNode path : c.path("untouched")) {
            assertThat(part(copy, path.asText()).toBytes()).as("part %s byte-identical", path.asText())
                    .isEqualTo(part(sent, path.asText()).toBytes());
        }
        c.path("attachment").fields().forEachRemaining(e -> assertThat(TextBody.decodedBytes(part(copy, e.getKey())))
                .as("attachment %s", e.getValue().asText()).isEqualTo(bytesUnchecked(e.getValue().asText())));
        if (c.has("signed")) {
            checkSigned(c, sent, copy);
        }
    }

    private MailingList configure(MailingList l, JsonNode c) {
        OutputCharset out = OutputCharset.valueOf(c.path("outputCharset").asText("KEEP"));
        SignedFooter sf = SignedFooter.valueOf(c.path("signedFooter").asText("OMIT"));
        MailingList changed = new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(),
                l.kind(), l.policy(), l.archiveVisibility(), l.subjectTag(), l.footer(), out, sf, l.fromRewrite(), l.maxMessageBytes(),
                l.nextSequence(), l.state(), l.createdAt(), l.updatedAt());
        app.lists().update(changed);
        return app.lists().byLocalPart("bunka").orElseThrow();
    }

    private static void checkSubject(JsonNode c, MimeEntity copy) {
        String raw = copy.rawValue("Subject").orElseThrow();
        assertThat(raw).as("the subject field is ASCII (RFC 2047)").matches("\\p{ASCII}*");
        assertThat(HeaderWords.decode(raw)).isEqualTo(c.get("subject").asText());
        // RFC 2047 section 5: every encoded word must decode on its own; a split character shows up as U+FFFD.
        Matcher m = ENCODED_WORD.matcher(raw);
        while (m.find()) {
            assertThat(HeaderWords.decode(m.group())).as("word %s alone", m.group()).doesNotContain("\uFFFD");
            if (c.has("subjectCharset")) {
                assertThat(m.group()).startsWithIgnoringCase("=?" + c.get("subjectCharset").asText() + "?");
            }
        }
    }

    private void checkBody(JsonNode c, MimeEntity copy) {
        List<MimeEntity> plain = new ArrayList<>();
        List<MimeEntity> html = new ArrayList<>();
        collectText(copy, plain, html);
        assertThat(plain).as("text/plain parts").isNotEmpty();
        MimeEntity first = plain.get(0);
        String text = normalise(TextBody.decode(first));
        assertThat(text).doesNotContain("\uFFFD").startsWith(c.get("body").asText());
        if (c.has("charset")) {
            assertThat(Charsets.forLabel(first.charset().orElse("us-ascii")))
                    .isEqualTo(Charsets.forLabel(c.get("charset").asText()));
        }
        String footerLine = "配信停止・設定変更: " + app.settings().server().publicUrl() + "/lists/bunka/unsubscribe";
        String allPlain = String.join("\n", plain.stream().map(p -> normalise(TextBody.decode(p))).toList());
        if (c.get("footer").asBoolean()) {
            assertThat(allPlain).contains(footerLine);
        } else {
            assertThat(allPlain).doesNotContain("配信停止");
        }
        if (c.has("html")) {
            assertThat(html).hasSize(1);
            String h = TextBody.decode(html.get(0));
            assertThat(h).contains(c.get("html").asText()).doesNotContain("\uFFFD");
            assertThat(h.indexOf("配信停止")).as("footer before </body>").isPositive()
                    .isLessThan(h.toLowerCase(Locale.ROOT).indexOf("</body>"));
        }
        if (c.path("flowed").asBoolean()) {
            assertThat(first.contentType().getParameter("format")).isEqualToIgnoringCase("flowed");
            // RFC 3676: a line ending in a space flows into the next; the footer's lines must stay hard.
            String footer = text.substring(text.indexOf("\n-- \n") + 1);
            footer.lines().skip(1).forEach(l -> assertThat(l).as("footer line").doesNotEndWith(" "));
            assertThat(text).as("the author's soft break is kept").startsWith("長い文章は \n");
            assertThat(text.substring(0, text.indexOf("-- \n"))).as("no soft break into the footer").endsWith("\n")
                    .doesNotEndWith(" \n");
        }
    }

    private static void checkSigned(JsonNode c, MimeEntity sent, MimeEntity copy) throws Exception {
        String where = c.get("signed").asText();
        MimeEntity signed = where.equals("top") ? copy : part(copy, where);
        if (!where.equals("top")) {
            assertThat(copy.mimeType()).isEqualTo("multipart/mixed");
        }
        assertThat(signed.mimeType()).isEqualTo("multipart/signed");
        assertThat(signed.rawValue("Content-Type")).isEqualTo(sent.rawValue("Content-Type"));
        // The signature covers the first part's bytes; every byte of the signed body must be as the author sent it.
        // (GreenMail counts the CRLF in front of the final "." as part of the terminator, so the message it stores
        // lacks the last CRLF we sent; the prepared copy was compared whole above.)
        assertThat(signed.body()).isIn(sent.body(), withoutFinalCrlf(sent.body()));
        verifyWithOpenSsl(signed);
    }

    /** A plus when openssl is installed: the copy's signature still verifies against the corpus certificate. */
    private static void verifyWithOpenSsl(MimeEntity signed) throws Exception {
        Optional<Path> openssl = Stream.of("/usr/bin/openssl", "/usr/local/bin/openssl").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        if (openssl.isEmpty()) {
            return;
        }
        Path dir = Files.createTempDirectory("smime");
        Path msg = dir.resolve("copy.eml");
        Path cert = dir.resolve("cert.pem");
        Files.write(msg, ("Content-Type: " + signed.rawValue("Content-Type").orElseThrow() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Files.write(msg, signed.body(), java.nio.file.StandardOpenOption.APPEND);
        Files.write(cert, bytes("signed-smime.cert.pem"));
        Process p = new ProcessBuilder(openssl.get().toString(), "smime", "-verify", "-in", msg.toString(), "-CAfile",
                cert.toString(), "-out", dir.resolve("content").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("openssl smime -verify: %s", out).isZero();
    }

    private static void collectText(MimeEntity e, List<MimeEntity> plain, List<MimeEntity> html) {
        if (e.isMultipart()) {
            e.parts().forEach(p -> collectText(p, plain, html));
        } else if (!e.isAttachment() && e.mimeType().equals("text/plain")) {
            plain.add(e);
        } else if (!e.isAttachment() && e.mimeType().equals("text/html")) {
            html.add(e);
        }
    }

    /** A part by its path of 0-based indexes, "1" or "0.1". */
    static MimeEntity part(MimeEntity root, String path) {
        MimeEntity e = root;
        for (String i : path.split("\\.")) {
            e = e.parts().get(Integer.parseInt(i));
        }
        return e;
    }

    private static byte[] withoutFinalCrlf(byte[] b) {
        return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n'
                ? java.util.Arrays.copyOf(b, b.length - 2) : b;
    }

    private static String normalise(String s) {
        return s.replace("\r\n", "\n");
    }

    static byte[] rawBytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static InputStream resource(String name) {
        InputStream in = JapaneseCorpusTest.class.getResourceAsStream("/corpus/" + name);
        if (in == null) {
            throw new IllegalStateException("missing corpus file " + name);
        }
        return in;
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytesUnchecked(String name) {
        try {
            return bytes(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
