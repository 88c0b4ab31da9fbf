package jp.kitamoto.lists.schedules.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The schedule pages over plain HTTP against the real server: CSRF, roles, preview dates, form errors, missed sends. */
class SchedulePagesHttpTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    ScheduleWebServer server;
    HttpSession http;

    @BeforeEach
    void start() throws Exception {
        server = new ScheduleWebServer(dataDir, smarthost.getSmtp().getPort());
        http = new HttpSession(server.base());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long notice(long listId, String title) {
        return server.schedules.notices().createAndSchedule(NoticeDraft.oneOff(title, "{リスト名} のお知らせ",
                "開催日: {開催日}\n{氏名}", List.of(listId),
                ScheduleService.instant(LocalDateTime.of(2027, 1, 15, 9, 0)))
                .withEvent(ScheduleService.instant(LocalDateTime.of(2027, 3, 1, 13, 30)), null, ""));
    }

    private Map<String, String> noticeForm(long listId) {
        return Map.of("title", "文化祭の案内", "subject", "{リスト名} 文化祭のお知らせ", "body", "{氏名}\n開催日 {開催日}",
                "lists", String.valueOf(listId), "mode", "once", "sendDate", "2027-01-15", "sendTime", "9:00",
                "eventDate", "2027-03-01", "action", "schedule");
    }

    @Test
    void everyNewPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        long bunka = server.listId("bunka");
        long id = notice(bunka, "既存のお知らせ");
        long call = server.schedules.calls().create(jp.kitamoto.lists.schedules.service.CallService.CallDraft.of(
                "協働事業提案 2027年度", ScheduleService.instant(LocalDateTime.of(2027, 1, 5, 0, 0)),
                ScheduleService.instant(LocalDateTime.of(2027, 2, 15, 17, 0)), "", List.of(bunka)));
        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        String n = "/staff/schedules/notices/" + id;
        for (String path : List.of("/staff/schedules/notices", n, n + "/schedule", n + "/pause", n + "/resume",
                n + "/cancel", n + "/duplicate", n + "/test",
                "/staff/schedules/sends/" + server.schedules.notices().sendsOf(id).get(0).id() + "/retry",
                "/staff/schedules/calls",
                "/staff/schedules/calls/" + call + "/deadline", "/staff/schedules/calls/" + call + "/cancel")) {
            HttpResponse<String> r = http.post(path, Map.of("address", "me@example.jp", "deadlineDate", "2027-03-01"),
                    false);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).contains("不正な送信");
        }
        assertThat(server.schedules.notices().find(id).orElseThrow().state()).isEqualTo(NoticeState.ACTIVE);
        assertThat(server.schedules.notices().recent(100)).hasSize(1 + 5); // the notice and the call's 5 notices
        assertThat(server.schedules.calls().find(call).orElseThrow().deadlineAt())
                .isEqualTo(ScheduleService.instant(LocalDateTime.of(2027, 2, 15, 17, 0)).toEpochMilli());
        // With the token the same kind of request works.
        assertThat(http.post(n + "/pause", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(server.schedules.notices().find(id).orElseThrow().state()).isEqualTo(NoticeState.PAUSED);
    }

    @Test
    void adminsDoEverythingOwnersOnlyTheirListsModeratorsNothing() throws Exception {
        long bunka = server.listId("bunka");
        long fukushi = server.listId("fukushi");
        StaffAccounts accounts = new StaffAccounts(server.db, server.clock);
        accounts.create("bunka-owner", "文化担当", StaffRole.OWNER, "owner-password-01", List.of(bunka));
        accounts.create("bunka-mod", "文化モデレーター", StaffRole.MODERATOR, "moderator-password-01", List.of(bunka));
        long own = notice(bunka, "文化のお知らせ");
        long other = notice(fukushi, "福祉のお知らせ");

        HttpSession owner = new HttpSession(server.base());
        owner.login("bunka-owner", "owner-password-01");
        assertThat(owner.get("/staff").body()).contains("href=\"/staff/schedules\"");
        HttpResponse<String> list = owner.get("/staff/schedules");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("文化のお知らせ").doesNotContain("福祉のお知らせ");
        assertThat(owner.get("/staff/schedules/notices/" + own).statusCode()).isEqualTo(200);
        assertThat(owner.get("/staff/schedules/notices/" + other).statusCode()).isEqualTo(403);
        assertThat(owner.get("/staff/schedules/notices/" + other + "/preview").statusCode()).isEqualTo(403);
        assertThat(owner.post("/staff/schedules/notices/" + other + "/cancel", Map.of(), true).statusCode())
                .isEqualTo(403);
        assertThat(server.schedules.notices().find(other).orElseThrow().state()).isEqualTo(NoticeState.ACTIVE);
        assertThat(owner.post("/staff/schedules/notices", noticeForm(fukushi), true).statusCode()).isEqualTo(403);
        assertThat(owner.post("/staff/schedules/notices", noticeForm(bunka), true).statusCode()).isEqualTo(302);
        assertThat(server.schedules.notices().recent(100)).hasSize(3);

        HttpSession moderator = new HttpSession(server.base());
        moderator.login("bunka-mod", "moderator-password-01");
        HttpResponse<String> top = moderator.get("/staff");
        assertThat(top.statusCode()).isEqualTo(200);
        assertThat(top.body()).doesNotContain("href=\"/staff/schedules\"").doesNotContain("予約送信");
        assertThat(moderator.get("/staff/schedules").statusCode()).isEqualTo(403);
        assertThat(moderator.get("/staff/schedules/notices/" + own).statusCode()).isEqualTo(403);
        assertThat(moderator.post("/staff/schedules/notices/" + own + "/cancel", Map.of(), true).statusCode())
                .isEqualTo(403);
        assertThat(server.schedules.notices().find(own).orElseThrow().state()).isEqualTo(NoticeState.ACTIVE);

        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        assertThat(http.get("/staff/schedules/notices/" + other).statusCode()).isEqualTo(200);
        assertThat(http.post("/staff/schedules/notices/" + other + "/cancel", Map.of(), true).statusCode())
                .isEqualTo(302);
        assertThat(server.schedules.notices().find(other).orElseThrow().state()).isEqualTo(NoticeState.CANCELLED);
    }

    @Test
    void thePreviewShowsReiwaDatesAndTheChosenMembersName() throws Exception {
        long bunka = server.listId("bunka");
        server.members.subscribe(bunka, "taro@example.jp", "山田 太郎", SubscriptionState.ACTIVE);
        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        HttpResponse<String> created = http.post("/staff/schedules/notices", noticeForm(bunka), true);
        assertThat(created.statusCode()).isEqualTo(302);
        String page = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> notice = http.get(page);
        assertThat(notice.body()).contains("令和9年1月15日（金） 9:00").contains("Asia/Tokyo");
        HttpResponse<String> preview = http.get(page + "/preview?list=" + bunka + "&member=taro@example.jp");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("開催日 令和9年3月1日（月）").contains("山田 太郎");
    }

    @Test
    void theCalendarShowsEachSendOnItsDayInTokyoWithHolidaysAndOnlyTheOwnersLists() throws Exception {
        long bunka = server.listId("bunka");
        long fukushi = server.listId("fukushi");
        notice(bunka, "文化のお知らせ"); // 2027-01-15 9:00 Tokyo (00:00 UTC)
        long late = server.schedules.notices().createAndSchedule(NoticeDraft.oneOff("深夜のお知らせ", "件名", "本文",
                List.of(bunka), ScheduleService.instant(LocalDateTime.of(2027, 1, 20, 23, 30)))); // 14:30 UTC
        notice(fukushi, "福祉のお知らせ");
        new StaffAccounts(server.db, server.clock).create("bunka-owner", "文化担当", StaffRole.OWNER,
                "owner-password-01", List.of(bunka));
        HttpSession owner = new HttpSession(server.base());
        owner.login("bunka-owner", "owner-password-01");
        HttpResponse<String> r = owner.get("/staff/schedules/calendar?month=2027-01");
        assertThat(r.statusCode()).isEqualTo(200);
        String page = r.body();
        assertThat(page).contains("令和9年1月（2027年1月）").contains("Asia/Tokyo").doesNotContain("福祉のお知らせ");
        assertThat(cell(page, "2027-01-15")).contains("9:00").contains("文化のお知らせ");
        assertThat(cell(page, "2027-01-20")).contains("23:30").contains("深夜のお知らせ");
        assertThat(cell(page, "2027-01-21")).doesNotContain("深夜のお知らせ");
        assertThat(cell(page, "2027-01-11")).contains("成人の日").contains("holiday");
        assertThat(page).contains("id=\"day-2026-12-28\"").contains("id=\"day-2027-01-31\""); // Monday to Sunday
        // A bad month falls back to this month (December 2026 by the test clock), not an error.
        assertThat(owner.get("/staff/schedules/calendar?month=2027-13").body()).contains("令和8年12月");
        server.schedules.notices().cancel(late);
        assertThat(owner.get("/staff/schedules/calendar?month=2027-01").body()).doesNotContain("深夜のお知らせ");
    }

    /** The HTML of one calendar cell. */
    private static String cell(String page, String date) {
        int start = page.indexOf("id=\"day-" + date + "\"");
        assertThat(start).as(date).isPositive();
        return page.substring(start, page.indexOf("</td>", start));
    }

    @Test
    void aFormWithAnUnknownVariableIsShownAgainWithAJapaneseError() throws Exception {
        long bunka = server.listId("bunka");
        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        Map<String, String> form = new java.util.HashMap<>(noticeForm(bunka));
        form.put("body", "{しめきり} までに");
        HttpResponse<String> r = http.post("/staff/schedules/notices", form, true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("使えない差し込み項目があります").contains("{しめきり} までに")
                .doesNotContain("Exception");
        form.put("body", "本文");
        form.put("sendDate", "2026-12-01");
        r = http.post("/staff/schedules/notices", form, true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("送信日時が過ぎています");
        assertThat(server.schedules.notices().recent(10)).isEmpty();
    }

    @Test
    void theFormsHaveNativeDateAndTimeInputsInJapanTimeAndTheServerStillValidates() throws Exception {
        long bunka = server.listId("bunka");
        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        String notice = http.get("/staff/schedules/notices/new").body();
        assertThat(notice).contains("<input type=\"date\" name=\"sendDate\"")
                .contains("<input type=\"time\" name=\"sendTime\" value=\"09:00\"")
                .contains("<input type=\"date\" name=\"eventDate\"").contains("<input type=\"time\" name=\"ruleTime\"")
                .contains("<input type=\"time\" name=\"windowStart\"").contains("時刻（日本時間）")
                .doesNotContain("type=\"text\" name=\"sendDate\"");
        String call = http.get("/staff/schedules/calls/new").body();
        assertThat(call).contains("<input type=\"date\" name=\"deadlineDate\"")
                .contains("<input type=\"time\" name=\"deadlineTime\" value=\"17:00\"")
                .contains("締切時刻（日本時間）");

        // A browser without date inputs (or a script) can still send anything: the server says what is wrong.
        Map<String, String> form = new java.util.HashMap<>(noticeForm(bunka));
        form.put("sendDate", "2027-02-30");
        HttpResponse<String> r = http.post("/staff/schedules/notices", form, true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("role=\"alert\"").contains("送信日は「2027-02-15」の形で入力してください");
        form.put("sendDate", "2027/2/15");
        form.put("sendTime", "25:00");
        r = http.post("/staff/schedules/notices", form, true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("送信日の時刻は「9:00」の形で入力してください")
                .as("a date typed another way comes back in the form a date input shows")
                .contains("name=\"sendDate\" value=\"2027-02-15\"");
        assertThat(server.schedules.notices().recent(10)).isEmpty();
    }

    /** Leaves a send as a failed distribution does: FAILED, no post, no delivery row (the failure rolled back). */
    private long failedSend(long noticeId) {
        long sendId = server.schedules.notices().sendsOf(noticeId).get(0).id();
        int changed = server.db.inTransaction(s -> s.getMapper(SendMapper.class).markFailed(sendId,
                "送信処理でエラーが起きたため送信できませんでした: テスト", server.clock.instant().toEpochMilli()));
        assertThat(changed).isEqualTo(1);
        return sendId;
    }

    private long deliveryRows(long sendId) {
        Long n = server.db.read(s -> s.getMapper(SendMapper.class).countDeliveries(sendId));
        return n;
    }

    @Test
    void aFailedSendIsShownAndSentAgainOnceByItsOwnerOnly() throws Exception {
        long bunka = server.listId("bunka");
        long fukushi = server.listId("fukushi");
        server.members.subscribe(bunka, "taro@example.jp", "山田 太郎", SubscriptionState.ACTIVE);
        server.members.subscribe(bunka, "hanako@example.jp", "鈴木 花子", SubscriptionState.ACTIVE);
        new StaffAccounts(server.db, server.clock).create("fukushi-owner", "福祉担当", StaffRole.OWNER,
                "owner-password-02", List.of(fukushi));
        long id = notice(bunka, "失敗したお知らせ");
        long sendId = failedSend(id);
        String retry = "/staff/schedules/sends/" + sendId + "/retry";

        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        HttpResponse<String> page = http.get("/staff/schedules");
        assertThat(page.body()).contains("id=\"failed\"").contains("失敗したお知らせ")
                .contains("action=\"" + retry + "\"");
        assertThat(http.get("/staff/schedules/notices/" + id).body()).contains("id=\"retry-" + sendId + "\"");

        // Without the token, or by the owner of another list: refused, nothing sent.
        assertThat(http.post(retry, Map.of(), false).statusCode()).isEqualTo(403);
        HttpSession other = new HttpSession(server.base());
        other.login("fukushi-owner", "owner-password-02");
        assertThat(other.post(retry, Map.of(), true).statusCode()).isEqualTo(403);
        assertThat(server.schedules.sends().find(sendId).orElseThrow().state()).isEqualTo(SendState.FAILED);

        HttpResponse<String> done = http.post(retry, Map.of(), true);
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location")).contains("/staff/schedules/notices/" + id);
        assertThat(http.get("/staff/schedules/notices/" + id).body()).contains("送りました");
        assertThat(server.schedules.sends().find(sendId).orElseThrow().state())
                .isIn(SendState.SENDING, SendState.SENT);
        assertThat(deliveryRows(sendId)).isEqualTo(2L);
        await().atMost(Duration.ofSeconds(30)).until(() -> smarthost.getReceivedMessages().length == 2);
        assertThat(SmarthostInbox.inbox(smarthost, "taro@example.jp")).hasSize(1);
        assertThat(SmarthostInbox.inbox(smarthost, "hanako@example.jp")).hasSize(1);

        // A second retry is refused with a Japanese message; no further delivery row.
        assertThat(http.post(retry, Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(http.get("/staff/schedules/notices/" + id).body()).contains("今すぐ送れるのは「失敗」と「未送信」の送信だけです");
        assertThat(deliveryRows(sendId)).isEqualTo(2L);
        assertThat(http.get("/staff/audit").body()).contains("schedule.send.retry");
    }

    @Test
    void aSendMissedDuringDowntimeIsShownAsMissed() throws Exception {
        long bunka = server.listId("bunka");
        long id = server.schedules.notices().createAndSchedule(NoticeDraft.oneOff("年末のお知らせ", "件名", "本文",
                List.of(bunka), ScheduleService.instant(LocalDateTime.of(2026, 12, 20, 12, 0))));
        server.schedules.stop();
        server.clock.set(ScheduleService.instant(LocalDateTime.of(2026, 12, 20, 15, 0))); // 3 h later, grace 1 h
        server.schedules.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.schedules.notices().sendsOf(id).get(0).state()
                == SendState.MISSED);
        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        HttpResponse<String> r = http.get("/staff/schedules");
        assertThat(r.body()).contains("id=\"missed\"").contains("年末のお知らせ").contains("未送信");
        assertThat(http.get("/staff/schedules/history").body()).contains("⚠ 未送信");

        // Staff decide to send it after all: once, now, and a second click is refused.
        long sendId = server.schedules.notices().sendsOf(id).get(0).id();
        assertThat(r.body()).contains("id=\"send-now-" + sendId + "\"");
        server.members.subscribe(bunka, "taro@example.jp", "山田 太郎", SubscriptionState.ACTIVE);
        String sendNow = "/staff/schedules/sends/" + sendId + "/retry";
        assertThat(http.post(sendNow, Map.of(), false).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(http.post(sendNow, Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(http.get("/staff/schedules/notices/" + id).body()).contains("送りました");
        assertThat(deliveryRows(sendId)).isEqualTo(1L);
        await().atMost(Duration.ofSeconds(30)).until(() -> !SmarthostInbox.inbox(smarthost, "taro@example.jp").isEmpty());
        http.post(sendNow, Map.of(), true);
        assertThat(http.get("/staff/schedules/notices/" + id).body()).contains("今すぐ送れるのは「失敗」と「未送信」の送信だけです");
        assertThat(deliveryRows(sendId)).isEqualTo(1L);
        assertThat(SmarthostInbox.inbox(smarthost, "taro@example.jp")).hasSize(1);
    }
}
