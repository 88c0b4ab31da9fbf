package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** End to end: a real SMTP client posts to the running server; GreenMail is the smarthost. */
class PostReachesSubscribersTest {
    /** The owner of every seed list (config/seed-lists.yml). */
    private static final String OWNER = "kyodo@city.kitamoto.example";

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

    private Subscription subscribe(String address, String name) {
        return app.members().subscribe(bunka.id(), address, name, SubscriptionState.ACTIVE);
    }

    @Test
    void postFromASubscriberReachesEverySubscriberOnceDecorated() throws Exception {
        Map<String, Subscription> subs = new HashMap<>();
        for (String a : List.of("yamada@example.jp", "suzuki@example.jp", "sato@example.jp")) {
            subs.put(a, subscribe(a, ""));
        }

        MimeMessage post = new MimeMessage(Session.getInstance(new Properties()));
        post.setFrom(new InternetAddress("yamada@example.jp", "山田 太郎", "UTF-8"));
        post.setRecipient(Message.RecipientType.TO, new InternetAddress("bunka@" + domain));
        post.setSubject("12月の定例会のお知らせ", "ISO-2022-JP");
        post.setText("皆様\n\n定例会を12月5日に開きます。\n", "UTF-8");
        post.setHeader("Message-ID", "<e2e-1@example.jp>");
        sendWithJakartaMail(post);

        await().atMost(Duration.ofSeconds(20)).until(() -> smarthost.getReceivedMessages().length >= 3);
        assertThat(smarthost.getReceivedMessages()).hasSize(3);
        Map<String, List<MimeMessage>> byRecipient = new HashMap<>();
        for (String address : subs.keySet()) {
            byRecipient.put(address, SmarthostInbox.inbox(smarthost, address));
        }

        for (Map.Entry<String, List<MimeMessage>> e : byRecipient.entrySet()) {
            assertThat(e.getValue()).as("copies for %s", e.getKey()).hasSize(1);
            MimeMessage copy = e.getValue().get(0);
            String token = subs.get(e.getKey()).token();
            assertThat(copy.getSubject()).isEqualTo("[bunka:00001] 12月の定例会のお知らせ");
            assertThat(MimeUtility.decodeText(MimeUtility.unfold(copy.getHeader("List-Id", null))))
                    .isEqualTo("教育・文化・生涯学習・スポーツ <bunka." + domain + ">");
            assertThat(copy.getHeader("List-Unsubscribe", null))
                    .contains(app.settings().server().publicUrl() + "/u/" + token)
                    .doesNotContain(e.getKey());
            assertThat(copy.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
            assertThat(copy.getHeader("List-Post", null)).isEqualTo("<mailto:bunka@" + domain + ">");
            assertThat(copy.getHeader("List-Help", null)).isNotNull();
            assertThat(copy.getHeader("List-Subscribe", null)).isNotNull();
            assertThat(copy.getHeader("List-Archive", null)).isNotNull();
            assertThat(copy.getHeader("List-Owner", null)).isEqualTo("<mailto:bunka-owner@" + domain + ">");
            assertThat(copy.getHeader("Precedence", null)).isEqualTo("list");
            assertThat(copy.getHeader("Return-Path", null)).isEqualTo("<bunka-bounces+" + token + "@" + domain + ">");
            String body = (String) copy.getContent();
            assertThat(body).startsWith("皆様").contains("定例会を12月5日に開きます。")
                    .contains("配信停止・設定変更: " + app.settings().server().publicUrl() + "/lists/bunka/unsubscribe");
        }
        long postId = onlyPost(PostState.ACCEPTED).id();
        List<DeliveryMapper.StateCount> counts = app.database().read(s -> s.getMapper(DeliveryMapper.class).countByPost(postId));
        await().atMost(Duration.ofSeconds(10)).until(() -> app.database()
                .read(s -> s.getMapper(DeliveryMapper.class).countByPost(postId))
                .equals(List.of(new DeliveryMapper.StateCount(DeliveryState.SENT, 3))));
        assertThat(counts).isNotEmpty();
    }

    @Test
    void replyKeepsOneRePrefixAndTheNextSequenceNumber() throws Exception {
        subscribe("yamada@example.jp", "");
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain}, message("yamada@example.jp",
                    "first"))).startsWith("250");
            assertThat(c.command("RSET")).startsWith("250");
            assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain}, message("yamada@example.jp",
                    "Re: [bunka:00001] Re: first"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> smarthost.getReceivedMessages().length >= 2);
        List<String> subjects = Arrays.stream(smarthost.getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).sorted().toList();
        assertThat(subjects).containsExactly("[bunka:00001] first", "[bunka:00002] Re: first");
    }

    @Test
    void postFromANonMemberIsHeldNotDeliveredAndKept() throws Exception {
        subscribe("yamada@example.jp", "");
        byte[] raw = message("stranger@example.com", "宣伝です");
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            String reply = c.send("stranger@example.com", new String[]{"bunka@" + domain}, raw);
            assertThat(reply).startsWith("250 2.0.0").contains("held");
        }
        Post held = onlyPost(PostState.HELD);
        assertThat(held.reasons()).contains("non-member").contains("stranger@example.com");
        // Kept whole: the bytes as sent, after the Received: trace field our SMTP server adds (RFC 5321 4.4).
        assertThat(new String(held.raw(), StandardCharsets.ISO_8859_1)).startsWith("Received: ")
                .endsWith(new String(raw, StandardCharsets.ISO_8859_1) + "\r\n");
        assertThat(held.subject()).isEqualTo("宣伝です");
        List<DeliveryMapper.StateCount> counts = app.database().read(s -> s.getMapper(DeliveryMapper.class).countByPost(held.id()));
        assertThat(counts).isEmpty();

        // The list's owner is told at once, with the reason and where to decide.
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, OWNER).isEmpty());
        MimeMessage notice = SmarthostInbox.inbox(smarthost, OWNER).get(0);
        assertThat(notice.getSubject()).isEqualTo("[bunka] 承認待ちの投稿があります（" + held.id() + "）");
        assertThat((String) notice.getContent()).contains("stranger@example.com").contains("宣伝です")
                .contains("non-member").contains("/staff/lists/" + bunka.id() + "/held");

        // Approving it distributes it: the hold lost nothing.
        assertThat(app.mail().moderation().approve(held.id(), "test-moderator")).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "yamada@example.jp").isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "yamada@example.jp").get(0).getSubject()).isEqualTo("[bunka:00001] 宣伝です");
    }

    @Test
    void copiesToOwnersShouldCarryNoSubscriptionTokenAndBounceToThePlainBouncesAddress() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("stranger@example.com", new String[]{"bunka-owner@" + domain},
                    message("stranger@example.com", "質問です"))).startsWith("250").contains("forwarded to 1 owner");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, OWNER).isEmpty());
        MimeMessage copy = SmarthostInbox.inbox(smarthost, OWNER).get(0);
        // Not bunka-bounces+owner@ (once the literal token "owner"): no subscription can be blamed for its bounces.
        assertThat(copy.getHeader("Return-Path", null)).isEqualTo("<bunka-bounces@" + domain + ">");
        assertThat(copy.getHeader("List-Unsubscribe", null)).isNull();
        long postId = onlyPost(PostState.ACCEPTED).id();
        List<Delivery> copies = app.database().read(s -> s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 10));
        assertThat(copies).singleElement().extracting(Delivery::token).isEqualTo("");
    }

    @Test
    void aModeratorWhoIsNotSubscribedShouldGetTheHeldNoticeWithoutAnInventedToken() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("stranger@example.com", new String[]{"bunka@" + domain},
                    message("stranger@example.com", "宣伝です"))).contains("held");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, OWNER).isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, OWNER).get(0).getHeader("Return-Path", null))
                .isEqualTo("<bunka-bounces@" + domain + ">");
    }

    @Test
    void aPostToTwoListsShouldCarryEachListsOwnDecorationOnly() throws Exception {
        MailingList fukushi = app.lists().byLocalPart("fukushi").orElseThrow();
        subscribe("yamada@example.jp", "");
        app.members().subscribe(fukushi.id(), "yamada@example.jp", "", SubscriptionState.ACTIVE);

        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain, "fukushi@" + domain},
                    message("yamada@example.jp", "合同のお知らせ"))).startsWith("250")
                    .contains("bunka: accepted").contains("fukushi: accepted");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> SmarthostInbox.inbox(smarthost, "yamada@example.jp").size() >= 2);
        Map<String, MimeMessage> bySubject = new HashMap<>();
        for (MimeMessage m : SmarthostInbox.inbox(smarthost, "yamada@example.jp")) {
            bySubject.put(m.getSubject(), m);
        }
        assertThat(bySubject).containsOnlyKeys("[bunka:00001] 合同のお知らせ", "[fukushi:00001] 合同のお知らせ");
        for (String name : List.of("bunka", "fukushi")) {
            MimeMessage copy = bySubject.get("[" + name + ":00001] 合同のお知らせ");
            assertThat(copy.getHeader("List-Id")).singleElement().asString().endsWith("<" + name + "." + domain + ">");
            assertThat(copy.getHeader("X-Loop")).containsExactly(name + "@" + domain);
            assertThat(copy.getHeader("X-ML-Name")).containsExactly(name);
        }
    }

    @Test
    void announceListTakesPostsOnlyFromItsOwners() throws Exception {
        MailingList fair = app.lists().byLocalPart("fair").orElseThrow();
        app.members().subscribe(fair.id(), "member@example.jp", "", SubscriptionState.ACTIVE);
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("member@example.jp", new String[]{"fair@" + domain},
                    message("member@example.jp", "member post"))).contains("held");
            c.command("RSET");
            assertThat(c.send("kyodo@city.kitamoto.example", new String[]{"fair@" + domain},
                    message("kyodo@city.kitamoto.example", "フェア開催"))).contains("accepted");
        }
        // Exactly one list copy went out (the owner's); the member's post only produced the owner's notice.
        await().atMost(Duration.ofSeconds(20)).until(() -> !SmarthostInbox.inbox(smarthost, "member@example.jp").isEmpty()
                && !SmarthostInbox.inbox(smarthost, OWNER).isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "member@example.jp")).hasSize(1);
        assertThat(SmarthostInbox.inbox(smarthost, "member@example.jp").get(0).getSubject()).isEqualTo("[fair:00001] フェア開催");
        assertThat(SmarthostInbox.inbox(smarthost, OWNER)).hasSize(1);
        assertThat(SmarthostInbox.inbox(smarthost, OWNER).get(0).getSubject()).startsWith("[fair] 承認待ちの投稿があります");
    }

    @Test
    void aLoopingCopyOfOurOwnPostIsDiscardedButKept() throws Exception {
        subscribe("yamada@example.jp", "");
        String looped = "From: yamada@example.jp\r\nTo: bunka@" + domain + "\r\nSubject: [bunka:00001] auto\r\n"
                + "List-Id: x <bunka." + domain + ">\r\nMessage-ID: <loop@example.jp>\r\n\r\nauto reply\r\n";
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain},
                    looped.getBytes(StandardCharsets.US_ASCII))).startsWith("250").contains("discarded");
        }
        assertThat(onlyPost(PostState.DISCARDED).reasons()).startsWith("loop:");
    }

    @Test
    void recipientsThatAreNotHostedListsAreRefusedAtRcpt() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            c.command("EHLO client.example.jp");
            assertThat(c.command("MAIL FROM:<someone@example.com>")).startsWith("250");
            assertThat(c.command("RCPT TO:<postmaster@other.example>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<abuse@other.example>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<friend@gmail.example>")).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<nosuchlist@" + domain + ">")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<postmaster@" + domain + ">")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<bunka-nonsense@" + domain + ">")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<bunka-request@" + domain + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<BUNKA@" + domain.toUpperCase() + ">")).startsWith("250");
        }
    }

    @Test
    void oversizeAndUnparseableMessagesGetClearPermanentErrors() throws Exception {
        subscribe("yamada@example.jp", "");
        long limit = app.settings().smtp().maxMessageBytes();
        byte[] big = ("From: yamada@example.jp\r\nSubject: big\r\n\r\n" + "x".repeat(70) + "\r\n")
                .repeat((int) (limit / 80) + 10).getBytes(StandardCharsets.US_ASCII);
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain}, big)).startsWith("552 5.3.4");
        }
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            // Since #14 text without a header section is read as a body, as Postfix reads it (MessyMailTest);
            // the one message that cannot be read as mail is an empty one.
            String reply = c.send("yamada@example.jp", new String[]{"bunka@" + domain}, new byte[0]);
            assertThat(reply).startsWith("554 5.6.0");
        }
        assertThat(smarthost.getReceivedMessages()).isEmpty();
    }

    private byte[] message(String from, String subject) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("bunka@" + domain));
        m.setSubject(subject, "UTF-8");
        m.setText("本文です。\n", "UTF-8");
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private void sendWithJakartaMail(MimeMessage message) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(app.smtpPort()));
        Session session = Session.getInstance(p);
        MimeMessage copy = new MimeMessage(session, new java.io.ByteArrayInputStream(bytes(message)));
        Transport.send(copy);
    }

    private static byte[] bytes(MimeMessage m) throws Exception {
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private Post onlyPost(PostState state) {
        List<Post> posts = app.database().read(s -> s.getMapper(PostMapper.class)
                .findSummariesByListAndState(bunka.id(), state, 10));
        assertThat(posts).hasSize(1);
        return app.database().read(s -> s.getMapper(PostMapper.class).findById(posts.get(0).id())).orElseThrow();
    }
}
