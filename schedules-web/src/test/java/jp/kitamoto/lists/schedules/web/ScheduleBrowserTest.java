package jp.kitamoto.lists.schedules.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.testing.HeadlessChromium;
import jp.kitamoto.lists.testing.SmarthostInbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Staff create a call (募集) with reminders in headless Chromium (Debian's chromium and chromium-driver), preview one
 * reminder for a member and send themselves a test copy, against the real server (SQLite file, mail server,
 * schedules, GreenMail as the smarthost). Fails, never skips, without the driver.
 */
class ScheduleBrowserTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    @TempDir
    Path browserDir;
    ScheduleWebServer server;
    HeadlessChromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        server = new ScheduleWebServer(dataDir, smarthost.getSmtp().getPort());
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

    private void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }

    private void waitFor(String id) {
        chromium.waitFor(id);
    }

    /**
     * Sets a native date input as its calendar picker does (the keys a person types into one depend on the
     * browser's language, the value it submits does not: 2027-01-05).
     */
    private void pickDate(String name, String isoDate) {
        WebElement e = browser.findElement(By.name(name));
        assertThat(e.getAttribute("type")).as(name).isEqualTo("date");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", e, isoDate);
    }

    private void type(String name, String text) {
        WebElement e = browser.findElement(By.name(name));
        e.clear();
        e.sendKeys(text);
    }

    @Test
    void staffCreateACallWithRemindersThenPreviewOneAndSendThemselvesATestCopy() throws Exception {
        long bunka = server.listId("bunka");
        server.members.subscribe(bunka, "taro@example.jp", "山田 太郎", SubscriptionState.ACTIVE);

        browser.get(server.base() + "/staff/login");
        type("username", "admin");
        type("password", ScheduleWebServer.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("予約送信"))).click();
        waitFor("timezone");
        assertThat(browser.findElement(By.id("timezone")).getText()).contains("Asia/Tokyo");
        screenshot("sched-01-upcoming-empty");

        browser.findElement(By.id("calls")).click();
        waitFor("new-call");
        browser.findElement(By.id("new-call")).click();
        waitFor("call-form");
        type("title", "協働事業提案 2027年度");
        pickDate("opensDate", "2027-01-05");
        pickDate("deadlineDate", "2027-02-15");
        type("link", "https://www.city.kitamoto.lg.jp/kyodo/");
        assertThat(browser.findElement(By.name("offsets")).getAttribute("value")).isEqualTo("14,7,3,1");
        browser.findElement(By.cssSelector("input[name=lists][value='" + bunka + "']")).click();
        screenshot("sched-02-call-form");
        browser.findElement(By.id("create-call")).click();

        waitFor("reminders");
        screenshot("sched-03-call-with-reminders");
        assertThat(browser.findElement(By.id("call-deadline")).getText()).isEqualTo("令和9年2月15日（月） 17:00");
        List<WebElement> rows = browser.findElements(By.cssSelector("#reminders tr.reminder"));
        assertThat(rows).extracting(WebElement::getText).hasSize(5)
                .anySatisfy(t -> assertThat(t).contains("締切リマインダー（14日前）").contains("令和9年2月1日（月） 9:00"))
                .anySatisfy(t -> assertThat(t).contains("締切リマインダー（1日前）").contains("令和9年2月14日（日） 9:00"))
                .anySatisfy(t -> assertThat(t).contains("締切のお知らせ").contains("令和9年2月15日（月） 17:00"));
        Call call = server.schedules.calls().all().get(0);
        assertThat(server.schedules.calls().notices(call.id())).filteredOn(n -> n.notice().kind() == NoticeKind.REMINDER)
                .hasSize(CallService.DEFAULT_OFFSETS.size());

        // Open the 7-days reminder and preview it for a member.
        rows.stream().filter(r -> r.getText().contains("（7日前）")).findFirst().orElseThrow()
                .findElement(By.className("open-notice")).click();
        waitFor("preview-form");
        assertThat(browser.findElement(By.id("notice-schedule")).getText()).contains("令和9年2月8日（月） 9:00");
        browser.findElement(By.cssSelector("#preview-form input[name=member]")).sendKeys("taro@example.jp");
        browser.findElement(By.id("show-preview")).click();
        waitFor("preview-subject");
        screenshot("sched-04-reminder-preview");
        assertThat(browser.findElement(By.id("preview-subject")).getText())
                .isEqualTo("【締切まであと7日】協働事業提案 2027年度");
        assertThat(browser.findElement(By.id("preview-body")).getText())
                .contains("協働事業提案 2027年度 の締切は 令和9年2月15日（月） 17:00 です（あと7日）")
                .contains("https://www.city.kitamoto.lg.jp/kyodo/");

        // Back on the notice, a test copy to myself.
        browser.navigate().back();
        waitFor("test-form");
        type("address", "shokuin@city.example.jp");
        browser.findElement(By.id("send-test")).click();
        waitFor("test-form");
        assertThat(browser.findElement(By.cssSelector("p.flash")).getText()).contains("shokuin@city.example.jp");
        screenshot("sched-05-test-copy-sent");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !SmarthostInbox.inbox(smarthost, "shokuin@city.example.jp").isEmpty());
        MimeMessage test = SmarthostInbox.inbox(smarthost, "shokuin@city.example.jp").get(0);
        assertThat(test.getSubject()).contains("【テスト送信】").contains("【締切まであと7日】協働事業提案 2027年度");
        assertThat(SmarthostInbox.inbox(smarthost, "taro@example.jp")).as("nothing went to the members").isEmpty();

        // The call's sends on the month calendar, from the upcoming page; February has two holidays.
        browser.findElement(By.linkText("予約送信")).click();
        waitFor("calendar-link");
        browser.findElement(By.id("calendar-link")).click();
        waitFor("next-month");
        browser.findElement(By.id("next-month")).click(); // December 2026 (the test clock) → January
        waitFor("day-2027-01-31");
        browser.findElement(By.id("next-month")).click();
        waitFor("day-2027-02-28");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("令和9年2月");
        assertThat(browser.findElement(By.id("day-2027-02-01")).getText()).contains("9:00").contains("協働事業提案");
        assertThat(browser.findElement(By.id("day-2027-02-08")).getText()).contains("9:00").contains("協働事業提案");
        assertThat(browser.findElement(By.id("day-2027-02-15")).getText()).contains("17:00");
        assertThat(browser.findElement(By.id("day-2027-02-11")).getText()).contains("建国記念の日");
        assertThat(browser.findElements(By.cssSelector("#calendar .send"))).hasSize(5);
        screenshot("sched-06-calendar");
    }
}
