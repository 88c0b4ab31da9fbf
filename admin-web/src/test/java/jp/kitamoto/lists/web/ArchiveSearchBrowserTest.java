package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader types a two-character Japanese word into the archive's search box in Chromium and sees the hit marked. */
class ArchiveSearchBrowserTest {
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

    @Test
    void aReaderTypesAWordAndSeesTheHitHighlighted() throws Exception {
        long bunka = server.listId("bunka");
        archive(bunka, "市民活動フェアの申込書", "申込書は北本市役所の窓口でも配っています。締切は来月です。\r\n");
        archive(bunka, "写真展", "写真展を開きます。\r\n");

        browser.get(server.base() + "/lists/bunka/archive");
        chromium.waitFor("archive-q");
        browser.findElement(By.id("archive-q")).sendKeys("北本");
        browser.findElement(By.cssSelector("form.archive-search button[type=submit]")).click();
        chromium.waitFor("hits");
        chromium.screenshot("archive-search-hit");

        List<WebElement> hits = browser.findElements(By.cssSelector("#hits > li"));
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).findElement(By.className("hit-subject")).getText()).isEqualTo("市民活動フェアの申込書");
        assertThat(hits.get(0).findElements(By.cssSelector(".snippet mark"))).extracting(WebElement::getText)
                .containsExactly("北本");
        assertThat(browser.findElement(By.id("archive-q")).getAttribute("value")).isEqualTo("北本");

        hits.get(0).findElement(By.className("hit-subject")).click();
        chromium.waitFor("message-body");
        assertThat(browser.findElement(By.id("message-body")).getText()).contains("北本市役所の窓口");
    }

    private void archive(long listId, String subject, String body) {
        byte[] raw = ("From: member@example.jp\r\nSubject: =?UTF-8?B?" + b64(subject) + "?=\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        server.db.inTransaction(s -> server.mail.distributor().distributeToList(s, listId, raw, PostOrigin.SMTP));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
