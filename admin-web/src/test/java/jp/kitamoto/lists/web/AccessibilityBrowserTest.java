package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.AxeCheck;
import jp.kitamoto.lists.testing.HeadlessChromium;
import jp.kitamoto.lists.testing.SmarthostInbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In headless Chromium: the language switch (click English, this page and the next are English, the choice is
 * remembered, and the confirmation mail of a member who subscribed there is English), and axe-core's WCAG 2.0/2.1
 * A and AA rules on the public and staff pages (JIS X 8341-3:2016 level AA, the automated part). The test prints
 * each page it checked with the rules passed and the violations, and fails on any violation.
 */
class AccessibilityBrowserTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    @TempDir
    Path browserDir;
    WebTestServer server;
    HeadlessChromium chromium;
    WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
        chromium = HeadlessChromium.start(browserDir);
        browser = chromium.browser();
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void open(String path) {
        browser.get(server.base() + path);
    }

    private String lang() {
        return browser.findElement(By.tagName("html")).getAttribute("lang");
    }

    private void awaitLanguage(String language) {
        chromium.await().until(d -> language.equals(d.findElement(By.tagName("html")).getAttribute("lang")));
    }

    @Test
    void theEnglishSwitchChangesThisPageAndTheNextIsRememberedAndTheMailFollows() throws Exception {
        open("/lists/bunka");
        assertThat(lang()).isEqualTo("ja");
        assertThat(browser.findElement(By.cssSelector("#subscribe button")).getText()).isEqualTo("確認メールを送る");
        browser.findElement(By.id("language-switch")).click();
        awaitLanguage("en");
        // Back on the same page, in English.
        assertThat(browser.getCurrentUrl()).endsWith("/lists/bunka");
        assertThat(browser.findElement(By.cssSelector("#subscribe button")).getText())
                .isEqualTo("Send the confirmation mail");
        chromium.screenshot("lang-01-list-page-english");
        browser.findElement(By.linkText("To the unsubscribe page")).click();
        chromium.await().until(ExpectedConditions.titleContains("Unsubscribe"));
        assertThat(lang()).isEqualTo("en");
        // Remembered: a new visit to the top page is English although the browser asks for Japanese.
        open("/");
        assertThat(lang()).isEqualTo("en");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Mailing lists");

        open("/lists/bunka");
        browser.findElement(By.id("subscribe-address")).sendKeys("lee@example.jp");
        browser.findElement(By.cssSelector("#subscribe button")).click();
        chromium.waitFor("sent");
        assertThat(browser.findElement(By.id("sent")).getText()).contains("We have sent a mail");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !SmarthostInbox.inbox(smarthost, "lee@example.jp").isEmpty());
        MimeMessage mail = SmarthostInbox.inbox(smarthost, "lee@example.jp").get(0);
        assertThat(mail.getSubject()).startsWith("[Please confirm your subscription]");
        Matcher link = Pattern.compile("http\\S+/confirm/[a-z2-7]+").matcher((String) mail.getContent());
        assertThat(link.find()).isTrue();
        browser.get(server.localise(link.group()));
        browser.findElement(By.id("confirm")).click();
        chromium.waitFor("done");
        assertThat(browser.findElement(By.id("done")).getText()).contains("You are now subscribed");

        // And back to Japanese.
        browser.findElement(By.id("language-switch")).click();
        awaitLanguage("ja");
        // The switch goes back to the page's address: /confirm/<token>, used now, so its Japanese "link used".
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("このリンクは使えません");
    }

    @Test
    void publicPagesPassAxeWcagAAndAa() throws Exception {
        long bunka = server.listId("bunka");
        long seq = archivedPost(bunka, PostState.ACCEPTED, true).sequence();
        String month = YearMonth.from(Instant.ofEpochMilli(server.clock.millis())
                .atZone(jp.kitamoto.lists.domain.JapanTime.ZONE)).toString();
        AxeCheck axe = new AxeCheck();
        open("/");
        axe.check(browser, "list index");
        open("/lists/bunka");
        axe.check(browser, "list page + subscribe form");
        browser.findElement(By.id("subscribe-address")).sendKeys("not an address");
        browser.findElement(By.cssSelector("#subscribe button")).click();
        chromium.waitFor("form-error");
        axe.check(browser, "subscribe form with error");
        browser.findElement(By.id("subscribe-address")).clear();
        browser.findElement(By.id("subscribe-address")).sendKeys("axe@example.jp");
        browser.findElement(By.cssSelector("#subscribe button")).click();
        chromium.waitFor("sent");
        axe.check(browser, "confirmation sent");
        open("/lists/bunka/unsubscribe");
        axe.check(browser, "unsubscribe form");
        open("/lists/bunka/archive");
        axe.check(browser, "archive index");
        open("/lists/bunka/archive/" + month + "?view=thread");
        axe.check(browser, "archive month");
        open("/lists/bunka/archive/posts/" + seq);
        axe.check(browser, "archive post");
        open("/help/carrier?list=bunka");
        axe.check(browser, "help/carrier");
        open("/confirm/unknown");
        axe.check(browser, "expired link");
        open("/no-such-page");
        axe.check(browser, "error page");
        open("/");
        browser.findElement(By.id("language-switch")).click();
        awaitLanguage("en");
        axe.check(browser, "list index (English)");
        open("/help/carrier");
        axe.check(browser, "help/carrier (English)");
        axe.assertNoViolations();
    }

    @Test
    void staffPagesPassAxeWcagAAndAa() throws Exception {
        long bunka = server.listId("bunka");
        server.members.subscribe(bunka, "member@example.jp", "会員 一郎", SubscriptionState.ACTIVE);
        archivedPost(bunka, PostState.HELD, false);
        long postId = archivedPost(bunka, PostState.ACCEPTED, true).id();
        AxeCheck axe = new AxeCheck();
        open("/staff/login");
        axe.check(browser, "staff login");
        browser.findElement(By.name("username")).sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(WebTestServer.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        chromium.await().until(ExpectedConditions.urlMatches(".*/staff/?$"));
        axe.check(browser, "staff dashboard (lists)");
        for (String[] page : new String[][]{
                {"/staff/lists/" + bunka, "list settings"},
                {"/staff/lists/" + bunka + "/members", "members"},
                {"/staff/lists/" + bunka + "/import", "CSV import"},
                {"/staff/lists/" + bunka + "/held", "held posts"},
                {"/staff/lists/" + bunka + "/posts", "posts"},
                {"/staff/lists/new", "new list"},
                {"/staff/audit", "audit log"},
                {"/staff/accounts", "accounts"},
                {"/staff/password", "password"},
                {"/staff/api-tokens", "API tokens"},
                {"/staff/dashboard", "dashboard"}}) {
            open(page[0]);
            axe.check(browser, page[1]);
        }
        open("/staff/posts/" + postId);
        axe.check(browser, "staff post");
        open("/staff/posts/" + postId + "/deliveries");
        axe.check(browser, "deliveries");
        axe.assertNoViolations();
    }

    private record Stored(long id, long sequence) {
    }

    /** A post stored as the posting service leaves it (accepted with a number, or held without one). */
    private Stored archivedPost(long listId, PostState state, boolean numbered) {
        String raw = "From: someone@example.jp\r\nTo: bunka@ml.kitamoto.example\r\nSubject: =?UTF-8?B?"
                + java.util.Base64.getEncoder().encodeToString("会合のお知らせ".getBytes(StandardCharsets.UTF_8))
                + "?=\r\nDate: Mon, 1 Nov 2027 10:00:00 +0900\r\nMessage-ID: <axe-" + state + "@example.jp>\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nこんにちは。\r\n";
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        return server.db.inTransaction(s -> {
            Long n = null;
            IdHolder id = new IdHolder();
            if (numbered) {
                ListMapper lists = s.getMapper(ListMapper.class);
                n = lists.reserveSequence(listId);
            }
            s.getMapper(PostMapper.class).insertPost(new Post(0, listId, PostOrigin.SMTP, n, "<axe@example.jp>",
                    "someone@example.jp", "someone@example.jp", "会合のお知らせ", bytes, bytes, state,
                    state == PostState.HELD ? "非会員からの投稿です（someone@example.jp）" : "",
                    server.clock.millis(), server.clock.millis()), id);
            return new Stored(id.getId(), n == null ? 0L : n);
        });
    }
}
