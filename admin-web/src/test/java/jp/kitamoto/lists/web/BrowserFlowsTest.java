package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.testing.HeadlessChromium;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.PostMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The main flows in headless Chromium (Debian's chromium and chromium-driver), against the running server with a
 * real SQLite file, the real mail server and GreenMail as the smarthost. Fails, never skips, without the driver.
 */
class BrowserFlowsTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    @TempDir
    Path browserDir;
    WebTestServer server;
    HeadlessChromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
        chromium = HeadlessChromium.start(browserDir);
        browser = chromium.browser();
        wait = chromium.await();
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

    private void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }

    private void waitFor(String cssId) {
        chromium.waitFor(cssId);
    }

    @Test
    void aMemberSubscribesAndConfirmsWithTheButtonFromTheMail() throws Exception {
        open("/");
        browser.findElement(By.linkText("教育・文化・生涯学習・スポーツ")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("subscribe")));
        browser.findElement(By.name("address")).sendKeys("kazuko＠example．jp");
        browser.findElement(By.name("name")).sendKeys("本田 和子");
        screenshot("01-subscribe-form");
        browser.findElement(By.cssSelector("#subscribe button")).click();
        waitFor("sent");
        screenshot("02-confirmation-sent");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !SmarthostInbox.inbox(smarthost, "kazuko@example.jp").isEmpty());
        MimeMessage mail = SmarthostInbox.inbox(smarthost, "kazuko@example.jp").get(0);
        assertThat(mail.getSubject()).contains("登録確認");
        Matcher link = Pattern.compile("http\\S+/confirm/[a-z2-7]+").matcher((String) mail.getContent());
        assertThat(link.find()).isTrue();

        browser.get(server.localise(link.group()));
        waitFor("confirm");
        screenshot("03-confirm-page");
        long bunka = server.listId("bunka");
        assertThat(server.members.find(bunka, "kazuko@example.jp")).as("opening the link subscribes nobody").isEmpty();
        browser.findElement(By.id("confirm")).click();
        waitFor("done");
        screenshot("04-subscribed");
        assertThat(server.members.find(bunka, "kazuko@example.jp").orElseThrow().state())
                .isEqualTo(SubscriptionState.ACTIVE);
    }

    @Test
    void staffImportAWindows31jCsvThenApproveAHeldPostThatReachesSubscribersAndTheArchive() throws Exception {
        long bunka = server.listId("bunka");
        // As Excel in Japan saves "CSV": Windows-31J, CRLF, a header row, full-width ＠ and ．, characters that
        // Shift_JIS proper lacks (髙, ①), one bad row and one duplicate.
        String csv = "メールアドレス,氏名,備考\r\n"
                + "ichiro＠example．jp,髙橋 一郎,①班\r\n"
                + "jiro@example.jp,山﨑 次郎,\r\n"
                + "not-an-address,誰か,\r\n"
                + "ICHIRO@example.jp,重複,\r\n";
        Path file = dataDir.resolve("members-sjis.csv");
        Files.write(file, csv.getBytes(Charset.forName("Windows-31J")));

        open("/staff/login");
        browser.findElement(By.name("username")).sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(WebTestServer.ADMIN_PASSWORD);
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.urlToBe(server.base() + "/staff"));
        screenshot("10-staff-home");

        open("/staff/lists/" + bunka + "/import");
        browser.findElement(By.name("file")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.id("dry-run")).click();
        waitFor("rows");
        screenshot("11-import-dry-run");
        assertThat(browser.findElement(By.id("count-add")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("count-refuse")).getText()).isEqualTo("2");
        String rows = browser.findElement(By.id("rows")).getText();
        assertThat(rows).contains("ichiro@example.jp").contains("髙橋 一郎").contains("形式が正しくありません")
                .contains("2 行目と同じアドレスです");
        assertThat(server.members.find(bunka, "ichiro@example.jp")).as("a dry run writes nothing").isEmpty();

        browser.findElement(By.id("commit")).click();
        waitFor("import-done");
        screenshot("12-import-done");
        assertThat(server.members.find(bunka, "ichiro@example.jp").orElseThrow().state())
                .isEqualTo(SubscriptionState.ACTIVE);
        assertThat(server.members.find(bunka, "jiro@example.jp")).isPresent();

        // A non-member posts in ISO-2022-JP: the list holds it for a moderator.
        // The body as Windows and phone mailers write it: Microsoft's ISO-2022-JP (with 髙 and ①) under the
        // standard name, which strict decoders turn into "?".
        String head = "From: " + jakarta.mail.internet.MimeUtility.encodeWord("北本 太郎", "ISO-2022-JP", "B")
                + " <outsider@example.org>\r\nTo: bunka@" + server.settings.server().domain() + "\r\nSubject: "
                + jakarta.mail.internet.MimeUtility.encodeWord("公民館まつりのご案内", "ISO-2022-JP", "B")
                + "\r\nMessage-ID: <matsuri-1@example.org>\r\nDate: Sat, 1 Nov 2025 09:00:00 +0900\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n";
        byte[] body = "皆様\r\n\r\n11月3日に公民館まつりを開きます。髙橋さんの①番テーブルへどうぞ。\r\n"
                .getBytes(Charset.forName("x-windows-iso2022jp"));
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        raw.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        raw.writeBytes(body);
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.mail.smtpPort()));
        Transport.send(new MimeMessage(Session.getInstance(p), new java.io.ByteArrayInputStream(raw.toByteArray())));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.db.read(s -> s.getMapper(PostMapper.class)
                .findSummariesByListAndState(bunka, PostState.HELD, 10)).size() == 1);

        open("/staff/lists/" + bunka + "/held");
        waitFor("held");
        assertThat(browser.findElement(By.id("held")).getText()).contains("公民館まつりのご案内");
        screenshot("13-held-posts");
        browser.findElement(By.cssSelector("#held input[type=checkbox]")).click();
        browser.findElement(By.id("approve")).click();
        waitFor("no-held");
        screenshot("14-approved");

        for (String member : new String[]{"ichiro@example.jp", "jiro@example.jp"}) {
            await().atMost(Duration.ofSeconds(20)).until(() -> SmarthostInbox.inbox(smarthost, member).stream()
                    .anyMatch(m -> subject(m).contains("公民館まつりのご案内")));
        }

        // The archive shows the Japanese post correctly, to the public (signed out: addresses masked).
        browser.findElement(By.cssSelector("header form button")).click();
        waitFor("login");
        open("/lists/bunka/archive");
        waitFor("months");
        browser.findElement(By.cssSelector("#months a")).click();
        waitFor("posts");
        browser.findElement(By.partialLinkText("公民館まつりのご案内")).click();
        waitFor("message-body");
        screenshot("15-archive-post");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("公民館まつりのご案内");
        assertThat(browser.findElement(By.id("message-body")).getText())
                .contains("11月3日に公民館まつりを開きます。髙橋さんの①番テーブルへどうぞ。");
        assertThat(browser.findElement(By.id("from")).getText()).isEqualTo("北本 太郎");
        assertThat(browser.getPageSource()).doesNotContain("outsider@example.org");
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private static java.io.InputStream toStream(MimeMessage m) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        return new java.io.ByteArrayInputStream(out.toByteArray());
    }
}
