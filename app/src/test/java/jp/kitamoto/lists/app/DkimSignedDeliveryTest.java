package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.dkim.DkimPublication;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.Dkimpy;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestMessages;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end: every copy that reaches the smarthost carries our DKIM signature, which an independent verifier
 * (dkimpy) accepts with the record the server tells staff to publish, and which breaks when the body or the
 * personal List-Unsubscribe changes. The From of list copies is the list's, in the author's name.
 *
 * <p>GreenMail drops the message's final CRLF (NOTES.md). The copies here are verified as GreenMail stored them,
 * unchanged: relaxed body canonicalisation (RFC 6376 3.4.4) ends a non-empty body with one CRLF whether or not it
 * had one, so that loss does not touch the body hash. RefusedRecipientBouncesTest verifies the exact bytes our
 * sender wrote, captured by a raw socket.
 */
class DkimSignedDeliveryTest {
    private static final String OWNER = "kyodo@city.kitamoto.example";

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    Application app;
    MailingList bunka;
    String domain;
    DkimPublication dkim;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Dkimpy.available(), "dkimpy (Debian python3-dkim) is not installed");
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
        dkim = app.mail().dkim();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    static byte[] raw(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private void post(String from, byte[] message) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send(from, new String[]{"bunka@" + domain}, message)).startsWith("250");
        }
    }

    @Test
    void theKeyIsMadeOnFirstStartPrivateAndItsRecordIsOffered() throws Exception {
        Path key = dataDir.resolve("dkim/kitamoto.pem");
        assertThat(Path.of(dkim.keyFile())).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        assertThat(dkim.recordName()).isEqualTo("kitamoto._domainkey." + domain);
        assertThat(dkim.txtValue()).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");

        // A restart signs with the same key.
        app.close();
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
        assertThat(app.mail().dkim().txtValue()).isEqualTo(dkim.txtValue());
    }

    @Test
    void everyCopyOfIso2022jpAndEightBitPostsVerifiesAndTamperingBreaksIt() throws Exception {
        for (String a : List.of("yamada@example.jp", "suzuki@docomo.ne.jp", "sato@gmail.example")) {
            app.members().subscribe(bunka.id(), a, "", SubscriptionState.ACTIVE);
        }
        String jisName = "=?ISO-2022-JP?B?" + Base64.getEncoder().encodeToString(
                "山田 太郎".getBytes(Charsets.ISO_2022_JP_MS)) + "?=";
        post("yamada@example.jp", TestMessages.message("From: " + jisName + " <yamada@example.jp>\n"
                + "To: bunka@" + domain + "\nSubject: =?ISO-2022-JP?B?" + Base64.getEncoder().encodeToString(
                "定例会のお知らせ".getBytes(Charsets.ISO_2022_JP_MS)) + "?=\nMessage-ID: <jis@example.jp>\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; d=example.jp; s=x; h=from; bh=AAAA; b=BBBB\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit",
                "皆様\n\n①㈱髙の定例会は12月5日です。\n", Charsets.ISO_2022_JP_MS));
        post("suzuki@docomo.ne.jp", TestMessages.message("From: suzuki@docomo.ne.jp\nTo: bunka@" + domain
                + "\nSubject: =?UTF-8?B?" + Base64.getEncoder().encodeToString("写真展".getBytes(StandardCharsets.UTF_8))
                + "?=\nMessage-ID: <utf8@example.jp>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit", "8ビットのUTF-8本文です。①㈱髙  \n\n\n", StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> smarthost.getReceivedMessages().length >= 6);
        assertThat(smarthost.getReceivedMessages()).hasSize(6);
        for (MimeMessage copy : smarthost.getReceivedMessages()) {
            byte[] bytes = raw(copy);
            Dkimpy.Result r = Dkimpy.verify(bytes, dkim.txtValue());
            assertThat(r.pass()).as(new String(bytes, StandardCharsets.ISO_8859_1) + "\n" + r.log()).isTrue();
            MimeEntity m = MimeEntity.parse(bytes);
            assertThat(m.headers("DKIM-Signature")).as("ours only: the author's is removed").hasSize(1);
            assertThat(m.rawValue("DKIM-Signature").orElseThrow()).contains("d=" + domain).contains("s=kitamoto");
            assertThat(HeaderWords.decode(m.rawValue("From").orElseThrow())).endsWith(" via 教育・文化・生涯学習・スポーツ <bunka@" + domain + ">");
        }

        MimeMessage jisCopy = SmarthostInbox.inbox(smarthost, "sato@gmail.example").stream()
                .filter(m -> header(m, "Message-ID").contains("jis@")).findFirst().orElseThrow();
        MimeEntity jis = MimeEntity.parse(raw(jisCopy));
        assertThat(HeaderWords.decode(jis.rawValue("From").orElseThrow())).startsWith("山田 太郎 via ");
        assertThat(jis.rawValue("Reply-To")).hasValue(jisName + " <yamada@example.jp>");
        assertThat(jis.rawValue("X-Original-From")).hasValue(jisName + " <yamada@example.jp>");

        MimeMessage utf8Copy = SmarthostInbox.inbox(smarthost, "yamada@example.jp").stream()
                .filter(m -> header(m, "Message-ID").contains("utf8@")).findFirst().orElseThrow();
        String text = new String(raw(utf8Copy), StandardCharsets.ISO_8859_1);
        assertThat(HeaderWords.decode(MimeEntity.parse(raw(utf8Copy)).rawValue("From").orElseThrow()))
                .startsWith("suzuki at docomo.ne.jp via ");

        // One body byte changed: the body hash no longer matches.
        int body = text.indexOf("\r\n\r\n") + 4;
        byte[] bodyChanged = raw(utf8Copy);
        bodyChanged[body + 1] ^= 0x01;
        assertThat(Dkimpy.verify(bodyChanged, dkim.txtValue()).pass()).as("a body byte changed").isFalse();
        // Another member's unsubscribe link pasted in: the personal header is signed.
        String token = app.members().find(bunka.id(), "yamada@example.jp").orElseThrow().token();
        String otherToken = app.members().find(bunka.id(), "sato@gmail.example").orElseThrow().token();
        assertThat(text).contains("/u/" + token);
        byte[] otherLink = text.replace("/u/" + token, "/u/" + otherToken).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Dkimpy.verify(otherLink, dkim.txtValue()).pass()).as("List-Unsubscribe changed").isFalse();

        // The archive and the staff pages read what the author sent: the real author, not the list.
        List<Post> posts = app.database().read(s -> List.of(s.getMapper(PostMapper.class).findById(1L).orElseThrow(),
                s.getMapper(PostMapper.class).findById(2L).orElseThrow()));
        assertThat(posts).extracting(Post::sender).containsExactlyInAnyOrder("yamada@example.jp", "suzuki@docomo.ne.jp");
        assertThat(new String(posts.get(0).raw(), StandardCharsets.ISO_8859_1)).contains("From: " + jisName);
    }

    @Test
    void copiesSignedOnEveryCoreAllVerifyAndEachMemberGetsOne() throws Exception {
        // More members than one signing task takes (16), so several tasks sign on the pool's threads at once.
        List<String> members = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            members.add("member" + i + "@example.jp");
            app.members().subscribe(bunka.id(), members.get(i), "", SubscriptionState.ACTIVE);
        }
        post("member0@example.jp", TestMessages.message("From: member0@example.jp\nTo: bunka@" + domain
                + "\nSubject: many\nMessage-ID: <many@example.jp>", "本文\n", StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> smarthost.getReceivedMessages().length >= members.size());
        assertThat(smarthost.getReceivedMessages()).hasSize(members.size());
        java.util.Set<String> unsubscribeLinks = new java.util.HashSet<>();
        for (String member : members) {
            List<MimeMessage> inbox = SmarthostInbox.inbox(smarthost, member);
            assertThat(inbox).as(member).hasSize(1);
            byte[] bytes = raw(inbox.get(0));
            Dkimpy.Result r = Dkimpy.verify(bytes, dkim.txtValue());
            assertThat(r.pass()).as(member + ": " + r.log()).isTrue();
            unsubscribeLinks.add(MimeEntity.parse(bytes).rawValue("List-Unsubscribe").orElseThrow());
        }
        assertThat(unsubscribeLinks).as("each copy signed over its own link").hasSize(members.size());
    }

    @Test
    void mailTheServerWritesItselfIsSignedToo() throws Exception {
        // A post from a non-member is held; the owner is told by mail the server writes (system mail).
        post("stranger@example.com", TestMessages.message("From: stranger@example.com\nTo: bunka@" + domain
                + "\nSubject: hello\nMessage-ID: <held@example.com>", "hi\n", StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(30)).until(() -> !SmarthostInbox.inbox(smarthost, OWNER).isEmpty());
        byte[] notice = raw(SmarthostInbox.inbox(smarthost, OWNER).get(0));
        Dkimpy.Result r = Dkimpy.verify(notice, dkim.txtValue());
        assertThat(r.pass()).as(new String(notice, StandardCharsets.ISO_8859_1) + "\n" + r.log()).isTrue();
    }

    private static String header(MimeMessage m, String name) {
        try {
            String v = m.getHeader(name, null);
            return v == null ? "" : v;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
