package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.web.store.AuditMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 on the list's settings page: staff turn on a daily and a weekly digest with native time inputs (Japan
 * time), the choice is stored and audited, a bad time is refused with a message, and a POST without the CSRF token
 * changes nothing.
 */
class DigestSettingsPageTest {
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
        http.login("admin", WebTestServer.ADMIN_PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<DigestSchedule> saved(long listId) {
        return new DigestSettings(server.db, server.clock).of(listId);
    }

    @Test
    void staffTurnOnADailyAndAWeeklyDigestAndTurnThemOffAgain() throws Exception {
        long bunka = server.listId("bunka");
        String page = http.get("/staff/lists/" + bunka).body();
        assertThat(page).contains("ダイジェスト（まとめて配信）", "この設定を選んでいる登録者: 0人")
                .contains("<input type=\"time\" name=\"dailyTime\" value=\"18:00\"")
                .contains("<input type=\"time\" name=\"weeklyTime\" value=\"07:00\"")
                .contains("<option value=\"3\"", "水曜日");

        Map<String, String> form = new HashMap<>(Map.of("daily", "on", "dailyTime", "18:30", "weekly", "on",
                "weeklyDay", "3", "weeklyTime", "07:15"));
        HttpResponse<String> r = http.post("/staff/lists/" + bunka + "/digests", form, true);
        assertThat(r.statusCode()).isIn(200, 302, 303);
        assertThat(saved(bunka)).extracting(DigestSchedule::cadence, DigestSchedule::sendTime, DigestSchedule::weekday)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DigestCadence.DAILY, "18:30", null),
                        org.assertj.core.groups.Tuple.tuple(DigestCadence.WEEKLY, "07:15", 3));
        assertThat(http.get("/staff/lists/" + bunka).body()).as("the page shows what was saved")
                .contains("value=\"18:30\"", "value=\"07:15\"").containsPattern("value=\"3\"\\s+selected");
        List<AuditMapper.AuditEntry> audit = server.db.read(s -> s.getMapper(AuditMapper.class)
                .findPage(List.of(), true, 0, 10));
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("list.digests");
            assertThat(e.detail()).contains("毎日のダイジェスト: なし → 18:30", "毎週のダイジェスト: なし → 水曜日 07:15");
        });

        HttpResponse<String> bad = http.post("/staff/lists/" + bunka + "/digests",
                Map.of("daily", "on", "dailyTime", "25:00"), true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\">時刻は「18:00」のように入力してください。");
        assertThat(saved(bunka)).as("unchanged").hasSize(2);

        assertThat(http.post("/staff/lists/" + bunka + "/digests", Map.of(), false).statusCode())
                .as("no CSRF token").isEqualTo(403);
        assertThat(saved(bunka)).hasSize(2);

        // Both boxes unticked: no digest any more.
        assertThat(http.post("/staff/lists/" + bunka + "/digests", Map.of("dailyTime", "18:30"), true).statusCode())
                .isIn(200, 302, 303);
        assertThat(saved(bunka)).isEmpty();
    }
}
