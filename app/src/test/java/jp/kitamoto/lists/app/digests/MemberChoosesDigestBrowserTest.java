package jp.kitamoto.lists.app.digests;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.testing.HeadlessChromium;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestMessages;
import jp.kitamoto.lists.testing.TestSettings;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #12's member flow through to the digest, on the whole server (web, SMTP intake, Quartz schedules, delivery
 * workers; real SQLite file; GreenMail as the smarthost; the injected clock moved to the set time): a member signs in
 * on the member's page in headless Chromium with the mailed link, switches a list to the digest, gets no copy of the
 * next two posts, and at the list's set time gets one digest holding both.
 */
class MemberChoosesDigestBrowserTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    static final String AUTHOR = "author@example.jp";
    static final String HANAKO = "hanako@example.jp";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    @TempDir
    Path browserDir;
    /** Friday 15 January 2027, 9:00 in Japan. */
    final MovableClock clock = new MovableClock(jst(9, 0));
    Application app;
    HeadlessChromium chromium;
    MailingList bunka;
    String domain;

    static Instant jst(int hour, int minute) {
        return LocalDateTime.of(2027, 1, 15, hour, minute).atZone(JapanTime.ZONE).toInstant();
    }

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false, clock);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
        chromium = HeadlessChromium.start(browserDir);
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aMemberWhoChoosesTheDigestOnTheirPageGetsOneDigestWithBothPostsAtTheSetTime() throws Exception {
        app.members().subscribe(bunka.id(), AUTHOR, "投稿 太郎", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), HANAKO, "北本 花子", SubscriptionState.ACTIVE);
        // Staff offer a daily digest at 18:00 (Japan time) on this list.
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());

        String base = "http://127.0.0.1:" + app.webPort();
        WebDriver browser = chromium.browser();
        browser.get(base + "/me");
        chromium.waitFor("signin-request");
        browser.findElement(By.id("signin-address")).sendKeys(HANAKO);
        browser.findElement(By.id("send-link")).click();
        chromium.waitFor("signin-sent");
        await().atMost(WAIT).until(() -> !mails(HANAKO, "会員ページ").isEmpty());
        Matcher link = Pattern.compile("http\\S+/me/signin/[a-z2-7]+")
                .matcher((String) mails(HANAKO, "会員ページ").get(0).getContent());
        assertThat(link.find()).isTrue();
        browser.get(link.group().replace(app.settings().server().publicUrl(), base));
        chromium.waitFor("signin");
        browser.findElement(By.id("signin")).click();
        chromium.waitFor("member-page");

        browser.findElement(By.id("mode-digest-bunka")).click();
        browser.findElement(By.id("mode-bunka")).click();
        chromium.waitFor("member-page");
        assertThat(browser.findElement(By.id("mode-digest-bunka")).isSelected()).isTrue();
        chromium.screenshot("digest-01-chosen");

        post("定例会のお知らせ", "来週の定例会は公民館で開きます。\n");
        clock.set(jst(13, 0));
        post("会場変更", "会場を第二会議室に変更します。\n");
        await().atMost(WAIT).until(() -> mails(AUTHOR, "会場変更").size() == 1 && pending() == 0);
        assertThat(mails(HANAKO, "定例会")).as("no copy of each post").isEmpty();
        assertThat(mails(HANAKO, "会場変更")).isEmpty();

        // Two seconds before 18:00: the digest's own Quartz trigger makes it at the set time.
        clock.set(jst(18, 0).minusSeconds(2));
        app.schedules().digests().replan();
        await().atMost(WAIT).until(() -> !mails(HANAKO, "ダイジェスト").isEmpty() && pending() == 0);
        List<MimeMessage> digests = mails(HANAKO, "ダイジェスト");
        assertThat(digests).hasSize(1);
        MimeMessage digest = digests.get(0);
        assertThat(digest.getContentType()).startsWith("multipart/digest");
        MimeMultipart parts = (MimeMultipart) digest.getContent();
        assertThat(parts.getCount()).as("table of contents and the two posts").isEqualTo(3);
        String contents = (String) parts.getBodyPart(0).getContent();
        assertThat(contents).contains("定例会のお知らせ").contains("会場変更");
        assertThat(app.schedules().digests().sweep()).as("made once").isZero();
        assertThat(mails(HANAKO, "ダイジェスト")).hasSize(1);
    }

    private List<MimeMessage> mails(String to, String subjectPart) {
        return SmarthostInbox.inbox(smarthost, to).stream().filter(m -> {
            try {
                return HeaderWords.decode(m.getHeader("Subject", null)).contains(subjectPart);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private long pending() {
        return app.database().read(s -> s.getMapper(DeliveryMapper.class).countPending());
    }

    private void post(String subject, String body) throws Exception {
        byte[] message = TestMessages.message("From: " + AUTHOR + "\nTo: bunka@" + domain
                        + "\nSubject: " + HeaderWords.encode(subject, StandardCharsets.UTF_8)
                        + "\nMessage-ID: <" + java.util.UUID.randomUUID() + "@example.jp>\nMIME-Version: 1.0\n"
                        + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
                body, StandardCharsets.UTF_8);
        try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(smtp.send(AUTHOR, new String[]{"bunka@" + domain}, message)).startsWith("250");
        }
    }
}
