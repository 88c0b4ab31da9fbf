package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The security points of issue 3 over plain HTTP, against the real server, database file and mail path. */
class PublicAndSecurityTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    WebTestServer server;
    HttpSession http;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
        http = new HttpSession(server.base());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String confirmationLink(String address) {
        await().atMost(Duration.ofSeconds(15)).until(() -> !SmarthostInbox.inbox(smarthost, address).isEmpty());
        MimeMessage m = SmarthostInbox.inbox(smarthost, address).get(0);
        String body;
        try {
            body = (String) m.getContent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Matcher link = Pattern.compile("http\\S+/(confirm|u)/[a-z2-7-]+").matcher(body);
        assertThat(link.find()).as("link in mail body:\n" + body).isTrue();
        return server.localise(link.group());
    }

    @Test
    void postWithoutCsrfTokenIsRefusedWith403AndChangesNothing() throws Exception {
        http.get("/lists/bunka");
        HttpResponse<String> r = http.post("/lists/bunka/subscribe", Map.of("address", "nocsrf@example.jp"), false);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("不正な送信").doesNotContain("Exception");
        HttpSession other = new HttpSession(server.base());
        other.csrf = http.csrf; // a token from someone else's session is no better
        assertThat(other.post("/lists/bunka/subscribe", Map.of("address", "nocsrf@example.jp"), true).statusCode())
                .isEqualTo(403);
        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        long bunka = server.listId("bunka");
        assertThat(http.post("/staff/lists/" + bunka + "/members", Map.of("address", "x@example.jp"), false)
                .statusCode()).isEqualTo(403);
        assertThat(server.members.find(bunka, "x@example.jp")).isEmpty();
        assertThat(SmarthostInbox.inbox(smarthost, "nocsrf@example.jp")).isEmpty();
    }

    @Test
    void doubleOptInSubscribesOnlyOnPostAndGetChangesNothing() throws Exception {
        http.get("/lists/bunka");
        HttpResponse<String> r = http.post("/lists/bunka/subscribe",
                Map.of("address", "hanako＠example．jp", "name", "北本 花子"), true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("確認するメールをお送りしました");
        String link = confirmationLink("hanako@example.jp");
        long bunka = server.listId("bunka");

        for (int i = 0; i < 3; i++) { // a mail scanner opening the link, several times
            HttpResponse<String> page = new HttpSession(server.base()).get(link);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("登録する");
        }
        assertThat(server.members.find(bunka, "hanako@example.jp")).isEmpty();

        http.get(link);
        HttpResponse<String> done = http.post(link.substring(server.base().length()), Map.of(), true);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("登録が完了しました");
        assertThat(server.members.find(bunka, "hanako@example.jp")).get()
                .extracting(Subscription::state).isEqualTo(SubscriptionState.ACTIVE);
        // The token works once.
        assertThat(http.post(link.substring(server.base().length()), Map.of(), true).statusCode()).isEqualTo(404);
    }

    @Test
    void fullWidthTypingIsForgivenButAnAddressWithJapaneseCharactersIsRefusedWithAReason() throws Exception {
        http.get("/lists/bunka");
        HttpResponse<String> fullWidth = http.post("/lists/bunka/subscribe",
                Map.of("address", "ｊｉｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"), true);
        assertThat(fullWidth.statusCode()).isEqualTo(200);
        assertThat(confirmationLink("jiro@example.jp")).isNotEmpty();

        // Delivery does not use SMTPUTF8: such an address would fail every copy, so it is refused where it is typed.
        HttpResponse<String> japanese = http.post("/lists/bunka/subscribe", Map.of("address", "じろう@example.jp"), true);
        assertThat(japanese.statusCode()).isEqualTo(400);
        assertThat(japanese.body()).contains("日本語（かな・漢字）を含むアドレスには配信できません");
        assertThat(SmarthostInbox.inbox(smarthost, "じろう@example.jp")).isEmpty();
    }

    @Test
    void aRepeatedRequestDoesNotRevealThatTheAddressIsSubscribed() throws Exception {
        long bunka = server.listId("bunka");
        server.members.subscribe(bunka, "member@example.jp", "", SubscriptionState.ACTIVE);
        http.get("/lists/bunka");
        String known = http.post("/lists/bunka/subscribe", Map.of("address", "member@example.jp"), true).body();
        String unknown = http.post("/lists/bunka/subscribe", Map.of("address", "stranger@example.jp"), true).body();
        assertThat(sentParagraph(known)).isEqualTo(sentParagraph(unknown));
        http.get("/lists/bunka/unsubscribe");
        String leaveKnown = http.post("/lists/bunka/unsubscribe", Map.of("address", "member@example.jp"), true).body();
        String leaveUnknown = http.post("/lists/bunka/unsubscribe", Map.of("address", "nobody@example.jp"), true).body();
        assertThat(sentParagraph(leaveKnown)).isEqualTo(sentParagraph(leaveUnknown));
    }

    private static String sentParagraph(String body) {
        Matcher m = Pattern.compile("<p id=\"sent\">(.*?)</p>", Pattern.DOTALL).matcher(body);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void confirmationTokensExpire() throws Exception {
        http.get("/lists/bunka");
        http.post("/lists/bunka/subscribe", Map.of("address", "late@example.jp"), true);
        String link = confirmationLink("late@example.jp");
        server.clock.advance(Duration.ofHours(49));
        HttpResponse<String> page = http.get(link);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("有効期限");
        assertThat(http.post(link.substring(server.base().length()), Map.of(), true).statusCode()).isEqualTo(404);
        assertThat(server.members.find(server.listId("bunka"), "late@example.jp")).isEmpty();
    }

    @Test
    void getOnTheUnsubscribeLinkChangesNothingAndTheRfc8058PostUnsubscribes() throws Exception {
        long bunka = server.listId("bunka");
        Subscription sub = server.members.subscribe(bunka, "leaver@example.jp", "", SubscriptionState.ACTIVE);
        String path = "/u/" + sub.token();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> page = new HttpSession(server.base()).get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("登録を解除する");
        }
        assertThat(server.members.byToken(sub.token()).orElseThrow().state()).isEqualTo(SubscriptionState.ACTIVE);

        // A mail provider's one-click POST: no session, no CSRF token, just the RFC 8058 body.
        HttpResponse<String> r = new HttpSession(server.base()).post(path,
                Map.of("List-Unsubscribe", "One-Click"), false);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.members.byToken(sub.token()).orElseThrow().state())
                .isEqualTo(SubscriptionState.UNSUBSCRIBED);
    }

    @Test
    void unsubscribeByAddressMailsThePersonalLink() throws Exception {
        long bunka = server.listId("bunka");
        Subscription sub = server.members.subscribe(bunka, "bye@example.jp", "", SubscriptionState.ACTIVE);
        http.get("/lists/bunka/unsubscribe");
        http.post("/lists/bunka/unsubscribe", Map.of("address", "bye@example.jp"), true);
        String link = confirmationLink("bye@example.jp");
        assertThat(link).endsWith("/u/" + sub.token());
    }

    @Test
    void htmlMailIsShownSanitisedWithoutScriptHandlersOrRemoteImages() throws Exception {
        long bunka = server.listId("bunka");
        String html = "<html><body><p onclick=\"steal()\">こんにちは<b>太字</b></p>"
                + "<script>alert('x')</script><img src=\"http://tracker.example/pixel.gif\" onerror=\"alert(1)\">"
                + "<a href=\"javascript:alert(2)\">危険</a><a href=\"https://www.city.kitamoto.lg.jp/\">市のサイト</a>"
                + "<iframe src=\"https://evil.example/\"></iframe><p>連絡先 yamada.taro@example.jp</p></body></html>";
        String raw = "From: =?UTF-8?B?" + b64("山田 太郎") + "?= <yamada.taro@example.jp>\r\n"
                + "To: bunka@ml.kitamoto.example\r\nSubject: =?UTF-8?B?" + b64("HTMLのお知らせ") + "?=\r\n"
                + "Message-ID: <html-1@example.jp>\r\nDate: Mon, 1 Dec 2025 10:00:00 +0900\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + html + "\r\n";
        long seq = archivedPost(bunka, raw.getBytes(StandardCharsets.UTF_8), "yamada.taro@example.jp");
        HttpResponse<String> page = http.get("/lists/bunka/archive/posts/" + seq);
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        String message = body.substring(body.indexOf("id=\"message-body\""));
        assertThat(message).contains("こんにちは").contains("<b>太字</b>").contains("市のサイト")
                .contains("画像 1 件");
        assertThat(message.toLowerCase()).doesNotContain("<script").doesNotContain("onclick")
                .doesNotContain("onerror").doesNotContain("javascript:").doesNotContain("tracker.example")
                .doesNotContain("<iframe").doesNotContain("<img");
        assertThat(body).doesNotContain("yamada.taro@example.jp").contains("山田 太郎");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'").contains("frame-ancestors 'none'");
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Stores an accepted post the way the posting service leaves it, and returns its sequence number. */
    private long archivedPost(long listId, byte[] raw, String sender) {
        return server.db.inTransaction(s -> {
            ListMapper lists = s.getMapper(ListMapper.class);
            long seq = lists.reserveSequence(listId);
            s.getMapper(PostMapper.class).insertPost(new Post(0, listId, PostOrigin.SMTP, seq, "<x@example.jp>",
                    sender, sender, "subject", raw, raw, PostState.ACCEPTED, "", server.clock.millis(),
                    server.clock.millis()), new IdHolder());
            return seq;
        });
    }

    @Test
    void noSubscriberAddressAppearsOnAnyPublicPage() throws Exception {
        long bunka = server.listId("bunka");
        List<String> addresses = List.of("secret.member@example.jp", "taro..yamada.@docomo.ne.jp");
        for (String a : addresses) {
            server.members.subscribe(bunka, a, "秘密 会員", SubscriptionState.ACTIVE);
        }
        String raw = "From: secret.member@example.jp\r\nTo: bunka@ml.kitamoto.example\r\nSubject: Re: from "
                + "secret.member@example.jp\r\nMessage-ID: <p-1@example.jp>\r\nContent-Type: text/plain; charset=UTF-8"
                + "\r\n\r\n> taro..yamada.@docomo.ne.jp wrote:\r\nお世話になります。\r\n";
        long seq = archivedPost(bunka, raw.getBytes(StandardCharsets.UTF_8), "secret.member@example.jp");
        String month = java.time.YearMonth.now(jp.kitamoto.lists.domain.JapanTime.ZONE).toString();
        StringBuilder all = new StringBuilder();
        for (String path : List.of("/", "/lists/bunka", "/lists/bunka/unsubscribe", "/lists/bunka/archive",
                "/lists/bunka/archive/" + month, "/lists/bunka/archive/" + month + "?view=thread",
                "/lists/bunka/archive/posts/" + seq)) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            all.append(r.body());
        }
        assertThat(all.toString()).contains("お世話になります");
        for (String a : addresses) {
            assertThat(all.toString()).doesNotContain(a).doesNotContain(a.substring(0, a.indexOf('@')) + "@");
        }
    }

    @Test
    void anOwnerCannotTouchAnotherOwnersList() throws Exception {
        long bunka = server.listId("bunka");
        long fukushi = server.listId("fukushi");
        new StaffAccounts(server.db, server.clock).create("bunka-owner", "文化担当", StaffRole.OWNER,
                "owner-password-01", List.of(bunka));
        Subscription other = server.members.subscribe(fukushi, "fukushi.member@example.jp", "",
                SubscriptionState.ACTIVE);
        http.login("bunka-owner", "owner-password-01");

        assertThat(http.get("/staff/lists/" + bunka + "/members").statusCode()).isEqualTo(200);
        assertThat(http.get("/staff/lists/" + fukushi + "/members").statusCode()).isEqualTo(403);
        assertThat(http.get("/staff/lists/" + fukushi).statusCode()).isEqualTo(403);
        assertThat(http.get("/staff/lists/" + fukushi + "/members.csv").statusCode()).isEqualTo(403);
        assertThat(http.get("/staff/lists/" + fukushi + "/held").statusCode()).isEqualTo(403);
        http.get("/staff");
        assertThat(http.post("/staff/lists/" + fukushi + "/members", Map.of("address", "intruder@example.jp"), true)
                .statusCode()).isEqualTo(403);
        assertThat(http.post("/staff/lists/" + fukushi, Map.of("displayName", "乗っ取り"), true).statusCode())
                .isEqualTo(403);
        assertThat(http.post("/staff/lists/" + fukushi + "/members/" + other.id(), Map.of("action", "remove"), true)
                .statusCode()).isEqualTo(403);
        // Through their own list's URL with the other list's subscription id: not found, not changed.
        assertThat(http.post("/staff/lists/" + bunka + "/members/" + other.id(), Map.of("action", "remove"), true)
                .statusCode()).isEqualTo(404);
        assertThat(server.members.find(fukushi, "intruder@example.jp")).isEmpty();
        assertThat(server.members.byToken(other.token()).orElseThrow().state()).isEqualTo(SubscriptionState.ACTIVE);
        assertThat(server.lists.byId(fukushi).orElseThrow().displayName()).isNotEqualTo("乗っ取り");
        assertThat(http.get("/staff/lists/new").statusCode()).isEqualTo(403);
    }

    @Test
    void loginRotatesTheSessionIdAndRepeatedFailuresAreThrottled() throws Exception {
        http.get("/staff/login");
        String before = sessionCookie();
        http.post("/staff/login", Map.of("username", "admin", "password", WebTestServer.ADMIN_PASSWORD), true);
        assertThat(sessionCookie()).isNotEmpty().isNotEqualTo(before);

        HttpSession attacker = new HttpSession(server.base());
        attacker.get("/staff/login");
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.post("/staff/login", Map.of("username", "admin", "password", "wrong-" + i), true)
                    .statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = attacker.post("/staff/login",
                Map.of("username", "admin", "password", WebTestServer.ADMIN_PASSWORD), true);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("しばらくログインできません");
    }

    private String sessionCookie() {
        return http.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("KITAMOTO_SESSION"))
                .map(java.net.HttpCookie::getValue).findFirst().orElse("");
    }

    @Test
    void errorsShowAJapanesePageAndNeverAStackTrace() throws Exception {
        HttpResponse<String> r = http.get("/lists/no-such-list");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("ページが見つかりません").doesNotContain("Exception").doesNotContain("at io.");
        assertThat(http.get("/staff/lists").statusCode()).isIn(302, 404);
        assertThat(http.get("/staff").statusCode()).isEqualTo(302);
    }
}
