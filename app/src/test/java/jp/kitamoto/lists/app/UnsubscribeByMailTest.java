package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.CommandMapper;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.audit.AuditLog;
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

/**
 * The mailto: of List-Unsubscribe is personal ({@code bunka-leave+TOKEN@}) and unsubscribes at once; the token, not
 * the sender, is the authority; an unknown token is refused at RCPT, so nothing is ever written back to a sender.
 */
class UnsubscribeByMailTest {
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

    private String send(String from, String to, String extraHeaders) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            return c.send(from, new String[]{to}, ("From: " + from + "\r\nSubject: unsubscribe\r\n" + extraHeaders
                    + "\r\nunsubscribe\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private SubscriptionState state(Subscription sub) {
        return app.members().byToken(sub.token()).orElseThrow().state();
    }

    private List<InboundCommand> leaveCommands() {
        return app.database().read(s -> s.getMapper(CommandMapper.class).findByState(CommandState.DONE, 100));
    }

    @Test
    void theMailtoOfEachCopyIsPersonalAndAMailToItUnsubscribesAtOnce() throws Exception {
        Subscription taro = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        assertThat(send("taro@example.jp", "bunka@" + domain, "")).startsWith("250");
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "taro@example.jp").isEmpty());
        String listUnsubscribe = SmarthostInbox.inbox(smarthost, "taro@example.jp").get(0)
                .getHeader("List-Unsubscribe", null);
        String personal = "bunka-leave+" + taro.token() + "@" + domain;
        assertThat(listUnsubscribe).contains("<mailto:" + personal + "?subject=unsubscribe>");

        // Apple Mail and Yahoo send an ordinary message to the mailto: address.
        assertThat(send("taro@example.jp", personal, "")).startsWith("250");

        await().atMost(Duration.ofSeconds(20)).until(() -> state(taro) == SubscriptionState.UNSUBSCRIBED);
        await().atMost(Duration.ofSeconds(20)).until(() -> SmarthostInbox.inbox(smarthost, "taro@example.jp").size() == 2);
        MimeMessage goodbye = SmarthostInbox.inbox(smarthost, "taro@example.jp").get(1);
        assertThat(goodbye.getSubject()).isEqualTo("[bunka] 登録を解除しました");
        assertThat(goodbye.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat((String) goodbye.getContent()).contains("登録を解除しました")
                .contains(app.settings().server().publicUrl() + "/lists/bunka");
        // The command row is the record: token, sender, what was done.
        InboundCommand row = leaveCommands().stream().filter(c -> taro.token().equals(c.token())).findFirst().orElseThrow();
        assertThat(row.envelopeFrom()).isEqualTo("taro@example.jp");
        assertThat(row.result()).contains("unsubscribed by mail").contains("taro@example.jp");
        // And the staff audit log has it beside the web's unsubscriptions.
        assertThat(new AuditLog(app.database(), java.time.Clock.systemUTC()).page(null, 0, 10))
                .anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("subscription.unsubscribe");
                    assertThat(e.actor()).isEqualTo("public");
                    assertThat(e.target()).isEqualTo("subscription " + taro.id());
                    assertThat(e.detail()).contains("List-Unsubscribe mailto").contains("taro@example.jp");
                });
    }

    @Test
    void theTokenIsTheAuthoritySoTheGoodbyeGoesToTheSubscriptionNotToTheSender() throws Exception {
        Subscription taro = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        // A forwarder or an alias sends from another address; the token came in taro's own copy.
        assertThat(send("alias@forwarder.example", "bunka-leave+" + taro.token() + "@" + domain, "")).startsWith("250");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(taro) == SubscriptionState.UNSUBSCRIBED);
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "taro@example.jp").isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "alias@forwarder.example")).isEmpty();
    }

    @Test
    void aForgedFromToThePlainLeaveAddressUnsubscribesNobody() throws Exception {
        Subscription taro = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        Subscription hanako = app.members().subscribe(bunka.id(), "hanako@example.jp", "", SubscriptionState.ACTIVE);
        // Somebody claims to be hanako at the plain -leave@ address: she gets the usual answer with her link.
        assertThat(send("hanako@example.jp", "bunka-leave@" + domain, "")).startsWith("250");
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "hanako@example.jp").isEmpty());
        assertThat(state(hanako)).isEqualTo(SubscriptionState.ACTIVE);
        assertThat(state(taro)).isEqualTo(SubscriptionState.ACTIVE);
    }

    @Test
    void anUnknownOrMalformedTokenIsRefusedAtRcptSoNothingIsEverSentBack() throws Exception {
        app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        assertThat(send("victim@example.com", "bunka-leave+" + Tokens.newToken() + "@" + domain, ""))
                .startsWith("550 5.1.1");
        assertThat(send("victim@example.com", "bunka-leave+guess@" + domain, "")).startsWith("550 5.1.1");
        // A token of another list's subscription is not this list's.
        MailingList other = app.lists().all().stream().filter(l -> l.id() != bunka.id()).findFirst().orElseThrow();
        Subscription elsewhere = app.members().subscribe(other.id(), "jiro@example.jp", "", SubscriptionState.ACTIVE);
        assertThat(send("victim@example.com", "bunka-leave+" + elsewhere.token() + "@" + domain, ""))
                .startsWith("550 5.1.1");
        assertThat(state(elsewhere)).isEqualTo(SubscriptionState.ACTIVE);
        assertThat(leaveCommands()).isEmpty();
    }

    @Test
    void automaticMailUnsubscribesButIsNotAnswered() throws Exception {
        Subscription taro = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        assertThat(send("taro@example.jp", "bunka-leave+" + taro.token() + "@" + domain,
                "Auto-Submitted: auto-generated\r\n")).startsWith("250");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(taro) == SubscriptionState.UNSUBSCRIBED);
        // A person's request handled after it (same queue) shows the automatic one is done; taro got nothing.
        assertThat(send("person@example.jp", "bunka-request@" + domain, "")).startsWith("250");
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "person@example.jp").isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "taro@example.jp")).isEmpty();
    }
}
