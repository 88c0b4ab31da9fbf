package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.RawSmtpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /staff/dashboard over HTTP, with real posts delivered to GreenMail at two moments of the test's clock: the copies
 * appear in the hour (Japan time) the smarthost accepted them, in the table and as bars; copies older than a day
 * drop out; the page is behind the staff login and in English for an English reader.
 */
class DashboardPageTest {
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
        long bunka = server.listId("bunka");
        server.members.subscribe(bunka, "yamada@example.jp", "", SubscriptionState.ACTIVE);
        server.members.subscribe(bunka, "suzuki@example.jp", "", SubscriptionState.ACTIVE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void copiesSentShowInTheirHourAndLeaveAfterADay() throws Exception {
        assertThat(new HttpSession(server.base()).get("/staff/dashboard").headers().firstValue("Location"))
                .hasValue("/staff/login");

        server.clock.set(Instant.parse("2026-11-29T05:30:00Z")); // 14:30 in Japan
        post("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> smarthost.getReceivedMessages().length == 2);
        server.clock.set(Instant.parse("2026-11-29T08:10:00Z")); // 17:10 in Japan
        post("second");
        await().atMost(Duration.ofSeconds(30)).until(() -> smarthost.getReceivedMessages().length == 4);

        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        String page = await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/staff/dashboard").body(),
                p -> p.contains("いま送信待ちのコピー: 0 通"));
        assertThat(page).contains("<title>配信状況", "<a href=\"/staff/dashboard\">配信状況</a>");
        // 24 rows, from 18時台 of the day before to the current hour.
        assertThat(rows(page)).isEqualTo(24);
        assertThat(page).contains("<tr><td>11月28日 18時台</td><td>0</td></tr>", "<tr><td>11月29日 14時台</td><td>2</td></tr>",
                "<tr><td>11月29日 15時台</td><td>0</td></tr>", "<tr><td>11月29日 17時台</td><td>2</td></tr>");
        assertThat(total(page)).isEqualTo(4);
        // The chart: one bar per hour, the two busy hours full height, the rest empty; named for screen readers.
        assertThat(page).contains("<svg id=\"sent-chart\" role=\"img\" aria-labelledby=\"sent-title sent-desc\"",
                "最大は 2 通、24時間の合計は 4 通");
        Matcher bars = Pattern.compile("<rect [^>]*height=\"(\\d+)\"").matcher(page);
        int count = 0;
        int full = 0;
        while (bars.find()) {
            count++;
            full += bars.group(1).equals("140") ? 1 : 0;
        }
        assertThat(count).isEqualTo(24);
        assertThat(full).isEqualTo(2);
        assertThat(page).doesNotContain("yamada@example.jp", "<script");

        http.acceptLanguage = "en";
        String english = http.get("/staff/dashboard").body();
        assertThat(english).contains("<title>Delivery activity", "Copies waiting to be sent now: 0",
                "<tr><td>11/29 14:00</td><td>2</td></tr>");
        http.acceptLanguage = null;

        // A day and a bit later, the first post's copies are out of the window, the second's still in it.
        server.clock.set(Instant.parse("2026-11-30T06:00:00Z"));
        String later = http.get("/staff/dashboard").body();
        assertThat(later).doesNotContain("11月29日 14時台").contains("<tr><td>11月29日 17時台</td><td>2</td></tr>");
        assertThat(total(later)).isEqualTo(2);
    }

    private void post(String subject) throws Exception {
        String domain = server.settings.server().domain();
        try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", server.mail.smtpPort())) {
            assertThat(smtp.send("yamada@example.jp", new String[]{"bunka@" + domain},
                    ("From: yamada@example.jp\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
                            .getBytes(StandardCharsets.US_ASCII))).startsWith("250");
        }
    }

    private static int rows(String page) {
        Matcher m = Pattern.compile("<tr><td>[^<]*時台</td><td>\\d+</td></tr>").matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static long total(String page) {
        Matcher m = Pattern.compile("<tr><th scope=\"row\">合計</th><td>(\\d+)</td></tr>").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return Long.parseLong(m.group(1));
    }
}
