package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.web.members.MemberSignIn;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper.MySubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The member's page over plain HTTP against the real server, database file and mail path (GreenMail): what the
 * browser test does not cover, link expiry and reuse, throttling, another member's ids, CSRF, the archive's
 * members-only check, and the audit entries.
 */
class MemberPageTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final Pattern LINK = Pattern.compile("http\\S+/me/signin/[a-z2-7]+");

    @TempDir
    Path dataDir;
    WebTestServer server;
    HttpSession http;
    long bunka;
    long bosai;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
        http = new HttpSession(server.base());
        bunka = server.listId("bunka");
        bosai = server.listId("bosai-council");
        server.members.subscribe(bunka, "hanako@example.jp", "北本 花子", SubscriptionState.ACTIVE);
        server.members.subscribe(bosai, "hanako@example.jp", "北本 花子", SubscriptionState.ACTIVE);
        server.members.subscribe(bunka, "jiro@example.jp", "", SubscriptionState.ACTIVE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> requestLink(HttpSession session, String address) throws Exception {
        session.get("/me");
        return session.post("/me/signin", Map.of("address", address), true);
    }

    /** Asks for a link and returns the newest one mailed to the address. */
    private String mailedLink(HttpSession session, String address) throws Exception {
        int before = SmarthostInbox.inbox(smarthost, address).size();
        assertThat(requestLink(session, address).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> SmarthostInbox.inbox(smarthost, address).size() > before);
        List<MimeMessage> inbox = SmarthostInbox.inbox(smarthost, address);
        String body = (String) inbox.get(inbox.size() - 1).getContent();
        Matcher m = LINK.matcher(body);
        assertThat(m.find()).as("link in\n" + body).isTrue();
        return server.localise(m.group());
    }

    private HttpSession signedIn(String address) throws Exception {
        HttpSession session = new HttpSession(server.base());
        String link = mailedLink(session, address);
        session.get(link);
        assertThat(session.post(link, Map.of(), true).statusCode()).isEqualTo(303);
        assertThat(session.get("/me").body()).contains("id=\"member-page\"");
        return session;
    }

    private MySubscription mine(String address, long listId) {
        long id = server.members.find(listId, address).orElseThrow().id();
        long member = server.members.find(listId, address).orElseThrow().memberId();
        return server.db.read(s -> s.getMapper(MemberPageMapper.class).findOfMember(member, id)).orElseThrow();
    }

    @Test
    void aGetOfTheLinkSignsNobodyInAndTheLinkWorksOnce() throws Exception {
        String link = mailedLink(http, "hanako@example.jp");
        MimeMessage mail = SmarthostInbox.inbox(smarthost, "hanako@example.jp").get(0);
        assertThat(mail.getSubject()).contains("会員ページ");
        assertThat(mail.getFrom()[0].toString()).contains("-request@");

        HttpResponse<String> page = http.get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"signin\"").contains("method=\"post\"");
        assertThat(http.get("/me").body()).as("a GET alone signs nobody in")
                .contains("id=\"signin-request\"").doesNotContain("member-page");

        HttpResponse<String> post = http.post(link, Map.of(), true);
        assertThat(post.statusCode()).isEqualTo(303);
        assertThat(post.headers().firstValue("Set-Cookie").orElse(""))
                .contains("KITAMOTO_MEMBER=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        String me = http.get("/me").body();
        assertThat(me).contains("id=\"member-page\"").contains("hanako@example.jp").contains("教育・文化")
                .contains("自主防災組織連絡協議会").doesNotContain("jiro@example.jp");

        HttpSession someoneElse = new HttpSession(server.base());
        someoneElse.get("/me");
        HttpResponse<String> reused = someoneElse.post(link, Map.of(), true);
        assertThat(reused.statusCode()).as("a link works once").isEqualTo(404);
        assertThat(reused.body()).contains("id=\"signin-expired\"");
        assertThat(someoneElse.get("/me").body()).doesNotContain("member-page");
        assertThat(someoneElse.get(link).body()).as("a used link shows no button").contains("signin-expired");
    }

    @Test
    void theSignInMailIsInTheMembersLanguageWhateverThePageItWasAskedOn() throws Exception {
        long jiro = server.members.find(bunka, "jiro@example.jp").orElseThrow().memberId();
        server.db.inTransaction(s -> {
            jp.kitamoto.lists.service.MemberLanguages.set(s, jiro, jp.kitamoto.lists.text.Texts.ENGLISH);
            return null;
        });
        // Jiro reads English and asks on a Japanese page; Hanako reads Japanese and asks on an English one.
        HttpSession japanesePage = new HttpSession(server.base());
        japanesePage.acceptLanguage = "ja";
        String jiroLink = mailedLink(japanesePage, "jiro@example.jp");
        MimeMessage english = SmarthostInbox.inbox(smarthost, "jiro@example.jp").get(0);
        String englishBody = (String) english.getContent();
        assertThat(english.getSubject()).contains("sign-in link").doesNotContain("会員ページ");
        assertThat(LanguageTest.JAPANESE.matcher(englishBody.replace(server.lists.byLocalPart("bunka")
                .orElseThrow().displayName(), "")).find()).as(englishBody).isFalse();
        assertThat(englishBody).contains(String.valueOf(MemberSignIn.LINK_TTL.toMinutes()));

        HttpSession englishPage = new HttpSession(server.base());
        englishPage.acceptLanguage = "en";
        mailedLink(englishPage, "hanako@example.jp");
        MimeMessage japanese = SmarthostInbox.inbox(smarthost, "hanako@example.jp").get(0);
        assertThat(japanese.getSubject()).contains("会員ページ");
        assertThat((String) japanese.getContent()).contains("北本 花子 様").doesNotContain("Dear");

        // The English mail's link signs Jiro in like any other.
        japanesePage.get(jiroLink);
        assertThat(japanesePage.post(jiroLink, Map.of(), true).statusCode()).isEqualTo(303);
        assertThat(japanesePage.get("/me").body()).contains("id=\"member-page\"", "jiro@example.jp");
    }

    @Test
    void aListWithoutADigestSaysThatItsDigestMembersGetEachPost() throws Exception {
        new jp.kitamoto.lists.service.DigestSettings(server.db, server.clock)
                .save(bunka, java.util.Optional.of(java.time.LocalTime.of(18, 0)), java.util.Optional.empty());
        HttpSession hanako = signedIn("hanako@example.jp");
        String me = hanako.get("/me").body();
        String noDigest = jp.kitamoto.lists.text.Texts.japanese().get("page.me.mode.noDigest");
        assertThat(section(me, "bunka")).doesNotContain("no-digest-bunka").doesNotContain(noDigest);
        assertThat(section(me, "bosai-council")).contains("id=\"no-digest-bosai-council\"", noDigest,
                "aria-describedby=\"no-digest-bosai-council\"");

        long sub = mine("hanako@example.jp", bosai).id();
        assertThat(hanako.post("/me/subscriptions/" + sub + "/mode", Map.of("mode", "DIGEST"), true).statusCode())
                .isEqualTo(303);
        assertThat(hanako.get("/me").body()).as("the flash after choosing it").contains(noDigest);
        assertThat(mine("hanako@example.jp", bosai).deliveryMode()).isEqualTo(DeliveryMode.DIGEST);

        hanako.acceptLanguage = "en";
        String english = hanako.get("/me").body();
        assertThat(section(english, "bosai-council")).contains(
                jp.kitamoto.lists.text.Texts.of(jp.kitamoto.lists.text.Texts.ENGLISH).get("page.me.mode.noDigest"));
        assertThat(section(english, "bunka")).doesNotContain("no-digest");
    }

    /** The part of the member's page about one list. */
    private static String section(String page, String localPart) {
        int start = page.indexOf("id=\"list-" + localPart + "\"");
        assertThat(start).as("section of " + localPart).isPositive();
        return page.substring(start, page.indexOf("</section>", start));
    }

    @Test
    void anExpiredLinkSignsNobodyIn() throws Exception {
        String link = mailedLink(http, "hanako@example.jp");
        server.clock.advance(MemberSignIn.LINK_TTL.plusSeconds(1));
        assertThat(http.get(link).body()).contains("signin-expired");
        HttpResponse<String> r = http.post(link, Map.of(), true);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(http.get("/me").body()).doesNotContain("member-page");
    }

    @Test
    void theAnswerIsTheSameForAStrangerWhoGetsNoMail() throws Exception {
        HttpSession session = new HttpSession(server.base());
        HttpResponse<String> member = requestLink(session, "hanako@example.jp");
        HttpResponse<String> stranger = requestLink(session, "stranger@example.jp");
        assertThat(stranger.statusCode()).isEqualTo(member.statusCode()).isEqualTo(200);
        assertThat(stranger.body()).isEqualTo(member.body());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !SmarthostInbox.inbox(smarthost, "hanako@example.jp").isEmpty());
        assertThat(SmarthostInbox.inbox(smarthost, "stranger@example.jp")).isEmpty();
        long clear = server.db.read(s -> s.getMapper(jp.kitamoto.lists.web.store.MemberSignInMapper.class)
                .countLinksByAddress("stranger@example.jp", 0));
        assertThat(clear).as("addresses are stored only as hashes").isZero();
    }

    @Test
    void requestsAreThrottledPerAddressAndPerClient() throws Exception {
        for (int i = 0; i < MemberSignIn.MAX_PER_ADDRESS; i++) {
            assertThat(requestLink(http, "hanako@example.jp").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> tooMany = requestLink(http, "hanako@example.jp");
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(tooMany.body()).contains("role=\"alert\"").contains("しばらく");
        // A stranger's address is throttled the same way (the throttle tells nothing about membership).
        for (int i = 0; i < MemberSignIn.MAX_PER_ADDRESS; i++) {
            requestLink(http, "stranger@example.jp");
        }
        assertThat(requestLink(http, "stranger@example.jp").statusCode()).isEqualTo(429);
        // Per client: 6 requests counted so far; 4 more addresses reach the limit of 10.
        for (int i = 0; i < MemberSignIn.MAX_PER_CLIENT - 2 * MemberSignIn.MAX_PER_ADDRESS; i++) {
            assertThat(requestLink(http, "other" + i + "@example.jp").statusCode()).isEqualTo(200);
        }
        assertThat(requestLink(http, "jiro@example.jp").statusCode()).as("per client").isEqualTo(429);

        await().atMost(Duration.ofSeconds(15))
                .until(() -> SmarthostInbox.inbox(smarthost, "hanako@example.jp").size() == 3);
        assertThat(SmarthostInbox.inbox(smarthost, "jiro@example.jp")).isEmpty();

        server.clock.advance(MemberSignIn.THROTTLE_WINDOW.plusSeconds(1));
        assertThat(requestLink(http, "jiro@example.jp").statusCode()).as("the window passes").isEqualTo(200);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> SmarthostInbox.inbox(smarthost, "jiro@example.jp").size() == 1);
    }

    @Test
    void anotherMembersSubscriptionCannotBeChanged() throws Exception {
        HttpSession hanako = signedIn("hanako@example.jp");
        long jiros = server.members.find(bunka, "jiro@example.jp").orElseThrow().id();
        for (String action : new String[]{"leave", "pause", "resume", "mode"}) {
            HttpResponse<String> r = hanako.post("/me/subscriptions/" + jiros + "/" + action,
                    Map.of("mode", "DIGEST", "until", ""), true);
            assertThat(r.statusCode()).as(action).isEqualTo(403);
            assertThat(r.body()).doesNotContain("jiro@example.jp");
        }
        MySubscription jiro = mine("jiro@example.jp", bunka);
        assertThat(jiro.state()).isEqualTo(SubscriptionState.ACTIVE);
        assertThat(jiro.pausedAt()).isNull();
        assertThat(jiro.deliveryMode()).isEqualTo(DeliveryMode.EACH);
        assertThat(hanako.post("/me/subscriptions/nonsense/leave", Map.of(), true).statusCode()).isEqualTo(403);
    }

    @Test
    void everyPostNeedsTheCsrfTokenAndASignIn() throws Exception {
        HttpSession hanako = signedIn("hanako@example.jp");
        long sub = mine("hanako@example.jp", bunka).id();
        assertThat(hanako.post("/me/subscriptions/" + sub + "/pause", Map.of("until", ""), false).statusCode())
                .isEqualTo(403);
        assertThat(hanako.post("/me/name", Map.of("displayName", "誰か"), false).statusCode()).isEqualTo(403);
        assertThat(hanako.post("/me/signout", Map.of(), false).statusCode()).isEqualTo(403);
        assertThat(mine("hanako@example.jp", bunka).pausedAt()).isNull();
        assertThat(hanako.get("/me").body()).contains("member-page").contains("北本 花子");

        HttpSession visitor = new HttpSession(server.base());
        visitor.get("/me");
        assertThat(visitor.post("/me/subscriptions/" + sub + "/leave", Map.of(), true).statusCode())
                .as("no sign-in").isEqualTo(401);
        assertThat(visitor.post("/me/signin", Map.of("address", "hanako@example.jp"), false).statusCode())
                .as("the request form too").isEqualTo(403);
        assertThat(mine("hanako@example.jp", bunka).state()).isEqualTo(SubscriptionState.ACTIVE);
    }

    @Test
    void pauseWithAnEndDateRenameAndLeaveAreStoredAndAudited() throws Exception {
        HttpSession hanako = signedIn("hanako@example.jp");
        long sub = mine("hanako@example.jp", bunka).id();
        LocalDate today = LocalDate.ofInstant(server.clock.instant(), JapanTime.ZONE);

        HttpResponse<String> bad = hanako.post("/me/subscriptions/" + sub + "/pause",
                Map.of("until", today.toString()), true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"").contains("明日から");
        assertThat(hanako.post("/me/subscriptions/" + sub + "/pause", Map.of("until", "2027-13-45"), true)
                .statusCode()).isEqualTo(400);
        assertThat(mine("hanako@example.jp", bunka).pausedAt()).isNull();

        LocalDate until = today.plusDays(10);
        assertThat(hanako.post("/me/subscriptions/" + sub + "/pause", Map.of("until", until.toString()), true)
                .statusCode()).isEqualTo(303);
        MySubscription paused = mine("hanako@example.jp", bunka);
        assertThat(paused.pausedAt()).isNotNull();
        assertThat(paused.resumeAt()).as("0:00 Japan time of the chosen day")
                .isEqualTo(until.atStartOfDay(JapanTime.ZONE).toInstant().toEpochMilli());
        assertThat(hanako.get("/me").body()).contains(until.getYear() + "年" + until.getMonthValue() + "月"
                + until.getDayOfMonth() + "日から配信を再開します");

        assertThat(hanako.post("/me/name", Map.of("displayName", "  北本 はなこ "), true).statusCode()).isEqualTo(303);
        assertThat(hanako.get("/me").body()).contains("value=\"北本 はなこ\"").contains("お名前を変更しました");
        assertThat(hanako.post("/me/subscriptions/" + sub + "/leave", Map.of(), true).statusCode()).isEqualTo(303);
        assertThat(server.members.find(bunka, "hanako@example.jp").orElseThrow().state())
                .isEqualTo(SubscriptionState.UNSUBSCRIBED);
        assertThat(hanako.get("/me").body()).doesNotContain("list-bunka").contains("list-bosai-council");

        List<String> actions = server.db.read(s -> s.getMapper(AuditMapper.class).findPage(List.of(), true, 0, 50))
                .stream().map(e -> e.actor().startsWith("member:") || e.action().startsWith("member.")
                        ? e.action() + " " + e.actor().replaceAll("[0-9]+", "N") : "").toList();
        assertThat(actions).contains("member.signin-request public", "member.signin member:N", "member.pause member:N",
                "member.rename member:N", "member.leave member:N");

        assertThat(hanako.post("/me/signout", Map.of(), true).statusCode()).isEqualTo(303);
        assertThat(hanako.get("/me").body()).doesNotContain("member-page").contains("signin-request");
    }

    @Test
    void aMembersOnlyArchiveOpensToItsMembersOnly() throws Exception {
        String archive = "/lists/bosai-council/archive";
        assertThat(http.get(archive).statusCode()).as("a visitor").isEqualTo(404);
        HttpSession jiro = signedIn("jiro@example.jp");
        assertThat(jiro.get(archive).statusCode()).as("a member of another list").isEqualTo(404);
        HttpSession hanako = signedIn("hanako@example.jp");
        assertThat(hanako.get(archive).statusCode()).isEqualTo(200);
        assertThat(hanako.get("/lists/bunka/archive").statusCode()).isEqualTo(200);
        // A paused member still reads; one who left does not.
        long sub = mine("hanako@example.jp", bosai).id();
        hanako.get("/me");
        hanako.post("/me/subscriptions/" + sub + "/pause", Map.of("until", ""), true);
        assertThat(hanako.get(archive).statusCode()).isEqualTo(200);
        hanako.get("/me");
        hanako.post("/me/subscriptions/" + sub + "/leave", Map.of(), true);
        assertThat(hanako.get(archive).statusCode()).isEqualTo(404);
    }
}
