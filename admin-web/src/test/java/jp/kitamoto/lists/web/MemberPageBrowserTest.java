package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.AxeCheck;
import jp.kitamoto.lists.testing.HeadlessChromium;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.web.store.MemberPageMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The member's page in headless Chromium against the whole server (real SQLite file, the mail server taking posts by
 * SMTP, GreenMail as the smarthost): a member signs in with the mailed link (a plain GET of it does not sign in),
 * pauses a list and gets no copy of the next post, resumes and gets the one after, switches to the digest, and
 * reads a members-only archive that a visitor cannot. Fails, never skips, without chromedriver.
 */
class MemberPageBrowserTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final String HANAKO = "hanako@example.jp";
    private static final String TARO = "taro@example.jp";

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

    @Test
    void aMemberSignsInByMailPausesResumesChoosesTheDigestAndReadsTheMembersOnlyArchive() throws Exception {
        long bunka = server.listId("bunka");
        long bosai = server.listId("bosai-council");
        server.members.subscribe(bunka, HANAKO, "北本 花子", SubscriptionState.ACTIVE);
        server.members.subscribe(bosai, HANAKO, "北本 花子", SubscriptionState.ACTIVE);
        server.members.subscribe(bunka, TARO, "北本 太郎", SubscriptionState.ACTIVE);
        server.members.subscribe(bosai, TARO, "北本 太郎", SubscriptionState.ACTIVE);
        post(TARO, "bosai-council", "防災訓練の記録", "会員だけが読める記録です。");
        awaitCopy(HANAKO, "防災訓練の記録");

        // Every copy's footer leads to the member's page.
        MimeMessage copy = copies(HANAKO, "防災訓練の記録").get(0);
        assertThat((String) copy.getContent()).contains("（会員ページ）: " + server.settings.server().publicUrl() + "/me");

        // Sign-in: the form, then the link from the mail.
        browser.get(server.base() + "/");
        browser.findElement(By.linkText("会員ページ")).click();
        chromium.waitFor("signin-request");
        browser.findElement(By.id("signin-address")).sendKeys(HANAKO);
        chromium.screenshot("me-01-signin-form");
        browser.findElement(By.id("send-link")).click();
        chromium.waitFor("signin-sent");
        await().atMost(Duration.ofSeconds(20)).until(() -> !copies(HANAKO, "会員ページ").isEmpty());
        Matcher link = Pattern.compile("http\\S+/me/signin/[a-z2-7]+")
                .matcher((String) copies(HANAKO, "会員ページ").get(0).getContent());
        assertThat(link.find()).isTrue();
        String signInLink = server.localise(link.group());

        // A mail scanner's GET: a page with a button, and nobody signed in.
        browser.get(signInLink);
        chromium.waitFor("signin");
        chromium.screenshot("me-02-signin-button");
        browser.get(server.base() + "/me");
        chromium.waitFor("signin-request");
        assertThat(browser.findElements(By.id("member-page"))).as("a GET of the link alone signs nobody in").isEmpty();

        browser.get(signInLink);
        chromium.waitFor("signin");
        browser.findElement(By.id("signin")).click();
        chromium.waitFor("member-page");
        chromium.screenshot("me-03-member-page");
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).contains(HANAKO);
        assertThat(browser.getPageSource()).doesNotContain(TARO);
        assertThat(state("bunka")).isEqualTo("配信中");

        // Pause: the next post reaches Taro but not Hanako.
        browser.findElement(By.id("pause-bunka")).click();
        chromium.waitFor("resume-bunka");
        chromium.screenshot("me-04-paused");
        assertThat(state("bunka")).startsWith("一時停止中");
        post(TARO, "bunka", "休止中のお知らせ", "一時停止中には届かないはずです。");
        awaitCopy(TARO, "休止中のお知らせ");
        assertThat(copies(HANAKO, "休止中のお知らせ")).as("paused: no copy").isEmpty();

        // Resume: the next post reaches her again.
        browser.findElement(By.id("resume-bunka")).click();
        chromium.waitFor("pause-bunka");
        assertThat(state("bunka")).isEqualTo("配信中");
        post(TARO, "bunka", "再開後のお知らせ", "また届きます。");
        awaitCopy(HANAKO, "再開後のお知らせ");
        assertThat(copies(HANAKO, "休止中のお知らせ")).isEmpty();

        // The digest: chosen on the page, stored on the subscription.
        browser.findElement(By.id("mode-digest-bunka")).click();
        browser.findElement(By.id("mode-bunka")).click();
        chromium.waitFor("member-page");
        assertThat(browser.findElement(By.id("mode-digest-bunka")).isSelected()).isTrue();
        long hanakoId = server.members.find(bunka, HANAKO).orElseThrow().memberId();
        long subId = server.members.find(bunka, HANAKO).orElseThrow().id();
        assertThat(server.db.read(s -> s.getMapper(MemberPageMapper.class).findOfMember(hanakoId, subId))
                .orElseThrow().deliveryMode()).isEqualTo(DeliveryMode.DIGEST);
        chromium.screenshot("me-05-digest");
        // Neither list sends a digest here: the page says what the choice means for now, and passes axe with it.
        assertThat(browser.findElement(By.id("no-digest-bunka")).getText()).contains("1通ずつ");
        assertThat(browser.findElement(By.id("mode-digest-bunka")).getAttribute("aria-describedby"))
                .isEqualTo("no-digest-bunka");
        AxeCheck axe = new AxeCheck();
        axe.check(browser, "member's page with no-digest notes");
        axe.assertNoViolations();

        // The members-only archive: open to her, not to a visitor.
        browser.findElement(By.id("archive-bosai-council")).click();
        chromium.waitFor("months");
        browser.findElement(By.cssSelector("#months a")).click();
        chromium.waitFor("posts");
        browser.findElement(By.partialLinkText("防災訓練の記録")).click();
        chromium.waitFor("message-body");
        chromium.screenshot("me-06-members-archive");
        assertThat(browser.findElement(By.id("message-body")).getText()).contains("会員だけが読める記録です。");
        String postPath = browser.getCurrentUrl().substring(server.base().length());
        assertThat(browser.getPageSource()).doesNotContain(TARO);

        HttpSession visitor = new HttpSession(server.base());
        assertThat(visitor.get(postPath).statusCode()).isEqualTo(404);
        assertThat(visitor.get("/lists/bosai-council/archive").statusCode()).isEqualTo(404);

        // Signed out, the browser is a visitor again.
        browser.get(server.base() + "/me");
        chromium.waitFor("member-page");
        browser.findElement(By.id("signout")).click();
        chromium.waitFor("signin-request");
        browser.get(server.base() + postPath);
        assertThat(browser.getPageSource()).doesNotContain("会員だけが読める記録です。");
    }

    private String state(String list) {
        return browser.findElement(By.id("state-" + list)).getText();
    }

    /** A real SMTP post to the server's intake. */
    private void post(String from, String list, String subject, String body) throws Exception {
        String domain = server.settings.server().domain();
        String message = "From: " + from + "\r\nTo: " + list + "@" + domain + "\r\nSubject: "
                + MimeUtility.encodeText(subject, "UTF-8", "B") + "\r\nMessage-ID: <" + System.nanoTime()
                + "@example.jp>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n";
        try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", server.mail.smtpPort())) {
            String reply = smtp.send(from, new String[]{list + "@" + domain}, message.getBytes(StandardCharsets.UTF_8));
            assertThat(reply).startsWith("250").contains("accepted");
        }
    }

    private void awaitCopy(String address, String subject) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !copies(address, subject).isEmpty());
    }

    private static List<MimeMessage> copies(String address, String subject) {
        return SmarthostInbox.inbox(smarthost, address).stream().filter(m -> {
            try {
                return m.getSubject() != null && m.getSubject().contains(subject);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }
}
