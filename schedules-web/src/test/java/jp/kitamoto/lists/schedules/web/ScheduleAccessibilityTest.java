package jp.kitamoto.lists.schedules.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.AxeCheck;
import jp.kitamoto.lists.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules on the staff pages of the schedules (list of sends, calls, a call with its
 * reminders, a notice, its preview, the forms, the calendar, the history), in headless Chromium. Prints what it
 * checked and fails on any violation.
 */
class ScheduleAccessibilityTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    @TempDir
    Path browserDir;
    ScheduleWebServer server;
    HeadlessChromium chromium;
    WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        server = new ScheduleWebServer(dataDir, smarthost.getSmtp().getPort());
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

    private void type(String name, String text) {
        WebElement e = browser.findElement(By.name(name));
        e.clear();
        e.sendKeys(text);
    }

    private void open(String path) {
        browser.get(server.base() + path);
    }

    @Test
    void schedulePagesPassAxeWcagAAndAa() throws Exception {
        long bunka = server.listId("bunka");
        server.members.subscribe(bunka, "taro@example.jp", "山田 太郎", SubscriptionState.ACTIVE);
        AxeCheck axe = new AxeCheck();
        open("/staff/login");
        type("username", "admin");
        type("password", ScheduleWebServer.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        chromium.await().until(ExpectedConditions.urlMatches(".*/staff/?$"));
        open("/staff/schedules");
        chromium.waitFor("timezone");
        axe.check(browser, "schedules: upcoming (empty)");
        open("/staff/schedules/calls/new");
        chromium.waitFor("call-form");
        axe.check(browser, "schedules: new call form");
        type("title", "協働事業提案 2027年度");
        type("opensDate", "2027-01-05");
        type("deadlineDate", "2027-02-15");
        type("link", "https://www.city.kitamoto.lg.jp/kyodo/");
        browser.findElement(By.cssSelector("input[name=lists][value='" + bunka + "']")).click();
        browser.findElement(By.id("create-call")).click();
        chromium.waitFor("reminders");
        axe.check(browser, "schedules: call with reminders");
        String callPage = browser.getCurrentUrl();
        browser.findElements(By.className("open-notice")).get(0).click();
        chromium.waitFor("preview-form");
        axe.check(browser, "schedules: notice");
        browser.findElement(By.cssSelector("#preview-form input[name=member]")).sendKeys("taro@example.jp");
        browser.findElement(By.id("show-preview")).click();
        chromium.waitFor("preview-subject");
        axe.check(browser, "schedules: preview");
        browser.get(callPage);
        chromium.waitFor("reminders");
        open("/staff/schedules/calls");
        axe.check(browser, "schedules: calls");
        open("/staff/schedules/notices/new");
        axe.check(browser, "schedules: new notice form");
        open("/staff/schedules");
        axe.check(browser, "schedules: upcoming");
        open("/staff/schedules/calendar");
        axe.check(browser, "schedules: calendar");
        open("/staff/schedules/history");
        axe.check(browser, "schedules: history");
        axe.assertNoViolations();
    }
}
