package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.service.MemberLanguages;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Mail to -request, -join and -leave is answered with links to the web pages; mail alone changes nothing. */
class MailCommandsTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    Application app;
    MailingList bunka;
    String domain;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private void send(String from, String to, String extraHeaders) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send(from, new String[]{to}, ("From: " + from + "\r\nSubject: x\r\n" + extraHeaders + "\r\n"
                    + "unsubscribe\r\n").getBytes(StandardCharsets.US_ASCII))).startsWith("250");
        }
    }

    private MimeMessage onlyReplyTo(String address) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, address).isEmpty());
        List<MimeMessage> inbox = SmarthostInbox.inbox(smarthost, address);
        assertThat(inbox).hasSize(1);
        return inbox.get(0);
    }

    @Test
    void leaveFromAMemberAnswersWithTheirPersonalLinkAndUnsubscribesNobody() throws Exception {
        Subscription sub = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        send("taro@example.jp", "bunka-leave@" + domain, "");
        MimeMessage reply = onlyReplyTo("taro@example.jp");
        assertThat(reply.getSubject()).isEqualTo("[bunka] 登録解除のご案内");
        assertThat(reply.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat((String) reply.getContent()).contains(app.settings().server().publicUrl() + "/u/" + sub.token());
        assertThat(app.members().byToken(sub.token()).orElseThrow().state()).isEqualTo(SubscriptionState.ACTIVE);
    }

    @Test
    void aMemberWhoReadsEnglishIsAnsweredInEnglishAndEveryoneElseInJapanese() throws Exception {
        Subscription sub = app.members().subscribe(bunka.id(), "lee@example.jp", "", SubscriptionState.ACTIVE);
        app.database().inTransaction(s -> {
            MemberLanguages.set(s, sub.memberId(), java.util.Locale.ENGLISH);
            return null;
        });
        send("lee@example.jp", "bunka-leave@" + domain, "");
        MimeMessage reply = onlyReplyTo("lee@example.jp");
        assertThat(reply.getSubject()).isEqualTo("[bunka] How to unsubscribe");
        assertThat((String) reply.getContent()).contains("/u/" + sub.token());
        send("lee@example.jp", "bunka-request@" + domain, "");
        await().atMost(Duration.ofSeconds(20)).until(() -> SmarthostInbox.inbox(smarthost, "lee@example.jp").size() == 2);
        assertThat(SmarthostInbox.inbox(smarthost, "lee@example.jp").get(1).getSubject())
                .isEqualTo("[bunka] How to use the mailing list");
        // Somebody we do not know reads Japanese.
        send("stranger@example.com", "bunka-request@" + domain, "");
        assertThat(onlyReplyTo("stranger@example.com").getSubject()).isEqualTo("[bunka] メーリングリストの使い方");
    }

    @Test
    void leaveFromAStrangerGetsNoMembersLink() throws Exception {
        Subscription member = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        send("stranger@example.com", "bunka-leave@" + domain, "");
        String body = (String) onlyReplyTo("stranger@example.com").getContent();
        assertThat(body).contains("登録されていない").doesNotContain(member.token()).contains("/lists/bunka/unsubscribe");
    }

    @Test
    void requestAndJoinAreAnsweredWithTheListPage() throws Exception {
        send("hanako@example.jp", "bunka-request@" + domain, "");
        assertThat((String) onlyReplyTo("hanako@example.jp").getContent())
                .contains("bunka@" + domain).contains("/lists/bunka");
        send("jiro@example.jp", "bunka-join@" + domain, "");
        assertThat((String) onlyReplyTo("jiro@example.jp").getContent()).contains("確認のメール").contains("/lists/bunka");
        assertThat(app.members().find(bunka.id(), "jiro@example.jp")).isEmpty();
    }

    @Test
    void automaticMailIsNeverAnswered() throws Exception {
        send("robot@example.jp", "bunka-request@" + domain, "Auto-Submitted: auto-replied\r\n");
        // A person's request sent afterwards is answered; by then the automatic one was handled (same queue order).
        send("person@example.jp", "bunka-request@" + domain, "");
        onlyReplyTo("person@example.jp");
        assertThat(SmarthostInbox.inbox(smarthost, "robot@example.jp")).isEmpty();
    }
}
