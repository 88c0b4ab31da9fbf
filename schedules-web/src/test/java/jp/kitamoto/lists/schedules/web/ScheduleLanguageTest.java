package jp.kitamoto.lists.schedules.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.schedules.timing.WindowDays;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.JapaneseLeftovers;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedules pages in English (#12): the forms' refusals, a notice's schedule line and every date are English,
 * with no era date; only what staff typed (titles, list names) and the holidays' official names stay Japanese. The
 * same refusals on a Japanese page read as they always did.
 */
class ScheduleLanguageTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    ScheduleWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ScheduleWebServer(dataDir, smarthost.getSmtp().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpSession staff(String language) throws Exception {
        HttpSession http = new HttpSession(server.base());
        http.acceptLanguage = language;
        http.login("admin", ScheduleWebServer.ADMIN_PASSWORD);
        return http;
    }

    private Map<String, String> noticeForm(long listId, String... changes) {
        Map<String, String> form = new HashMap<>(Map.of("title", "Festival", "subject", "Festival notice",
                "body", "See you there", "lists", String.valueOf(listId), "mode", "once", "sendDate", "2027-01-15",
                "sendTime", "9:00", "action", "schedule"));
        for (int i = 0; i < changes.length; i += 2) {
            form.put(changes[i], changes[i + 1]);
        }
        return form;
    }

    private Map<String, String> callForm(long listId, String... changes) {
        Map<String, String> form = new HashMap<>(Map.of("title", "Proposals 2027", "opensDate", "2027-01-05",
                "deadlineDate", "2027-02-15", "deadlineTime", "17:00", "offsets", "14,7,3,1", "reminderTime", "9:00",
                "lists", String.valueOf(listId), "grace", "60"));
        for (int i = 0; i < changes.length; i += 2) {
            form.put(changes[i], changes[i + 1]);
        }
        return form;
    }

    /** Posts a form that must be refused, and returns the page that says why. */
    private String refused(HttpSession http, String path, Map<String, String> form) throws Exception {
        HttpResponse<String> r = http.post(path, form, true);
        assertThat(r.statusCode()).as(path + " " + form).isEqualTo(400);
        assertThat(r.body()).contains("role=\"alert\"");
        return r.body();
    }

    @Test
    void englishSchedulePagesAndFormErrorsCarryNoJapaneseButWhatStaffTyped() throws Exception {
        long bunka = server.listId("bunka");
        long once = server.schedules.notices().createAndSchedule(NoticeDraft.oneOff("Library day", "Library",
                "Open", List.of(bunka), ScheduleService.instant(LocalDateTime.of(2027, 1, 15, 9, 0))));
        long monthly = server.schedules.notices().createAndSchedule(NoticeDraft.recurring("Council meeting",
                "Council", "Agenda", List.of(bunka), new Recurrence.MonthlyNthWeekday(1, DayOfWeek.MONDAY,
                        LocalTime.of(9, 0)), null, new SendWindow(WindowDays.WEEKDAYS, LocalTime.of(8, 0),
                        LocalTime.of(18, 0)), HolidayPolicy.SHIFT_NEXT_BUSINESS_DAY));
        long call = server.schedules.calls().create(CallService.CallDraft.of("Proposals", ScheduleService.instant(
                LocalDateTime.of(2027, 1, 5, 0, 0)), ScheduleService.instant(LocalDateTime.of(2027, 2, 15, 17, 0)),
                "", List.of(bunka)));
        HttpSession en = staff("en");
        List<String> pages = new ArrayList<>();
        for (String path : List.of("/staff/schedules", "/staff/schedules/notices/" + once,
                "/staff/schedules/notices/" + monthly, "/staff/schedules/notices/" + monthly + "/edit",
                "/staff/schedules/notices/new", "/staff/schedules/calls", "/staff/schedules/calls/new",
                "/staff/schedules/calls/" + call, "/staff/schedules/calendar?month=2027-01",
                "/staff/schedules/history")) {
            HttpResponse<String> r = en.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            pages.add(path + "\n" + r.body());
        }
        String onceText = pages.get(1);
        assertThat(onceText).contains("2027/01/15 (Fri) 9:00 (One-off)").doesNotContain("令和");
        assertThat(pages.get(2)).contains("Monthly on the first Monday at 9:00, Weekdays only (not weekends or "
                + "holidays), 08:00–18:00, on holidays: Send on the next business day");
        assertThat(pages.get(8)).contains("January 2027").doesNotContain("令和");
        // The same notice on a Japanese page: the era date and the line the page always showed.
        HttpSession ja = staff("ja");
        assertThat(ja.get("/staff/schedules/notices/" + once).body()).contains("令和9年1月15日（金） 9:00（一回限り）");
        assertThat(ja.get("/staff/schedules/notices/" + monthly).body())
                .contains("毎月第1月曜日 9:00・平日のみ（土日祝を除く）・08:00〜18:00・祝日: 翌営業日に送信");

        String notices = "/staff/schedules/notices";
        String calls = "/staff/schedules/calls";
        Map<String, Map<String, String>> refusals = new java.util.LinkedHashMap<>();
        refusals.put(notices + " no title", noticeForm(bunka, "title", ""));
        refusals.put(notices + " bad date", noticeForm(bunka, "sendDate", "2027-02-30"));
        refusals.put(notices + " bad time", noticeForm(bunka, "sendTime", "25:00"));
        refusals.put(notices + " past", noticeForm(bunka, "sendDate", "2026-12-01"));
        refusals.put(notices + " no list", noticeForm(bunka, "lists", ""));
        refusals.put(notices + " window", noticeForm(bunka, "mode", "repeat", "ruleType", "monthly-day",
                "ruleDay", "1", "ruleTime", "9:00", "windowStart", "18:00", "windowEnd", "8:00"));
        refusals.put(notices + " day 40", noticeForm(bunka, "mode", "repeat", "ruleType", "monthly-day",
                "ruleDay", "40", "ruleTime", "9:00"));
        refusals.put(notices + " window end", noticeForm(bunka, "mode", "repeat", "ruleType", "weekly",
                "ruleWeekday", "MONDAY", "ruleTime", "9:00", "windowStart", "8:00"));
        refusals.put(calls + " no title", callForm(bunka, "title", ""));
        refusals.put(calls + " offsets", callForm(bunka, "offsets", "14,a"));
        refusals.put(calls + " offsets range", callForm(bunka, "offsets", "400"));
        refusals.put(calls + " before opening", callForm(bunka, "opensDate", "2027-03-01"));
        refusals.put(calls + " past", callForm(bunka, "deadlineDate", "2026-12-01"));
        refusals.put(calls + " grace", callForm(bunka, "grace", "-5"));
        Map<String, String> english = new HashMap<>();
        for (var e : refusals.entrySet()) {
            String body = refused(en, e.getKey().substring(0, e.getKey().indexOf(' ')), e.getValue());
            english.put(e.getKey(), body);
            pages.add("refused: " + e.getKey() + "\n" + body);
        }
        assertThat(english.get(notices + " no title")).contains("Please enter the name for staff.");
        assertThat(english.get(notices + " bad date")).contains("Please enter the send day as 2027-02-15.");
        assertThat(english.get(notices + " bad time")).contains("Please enter the time of the send day as 9:00.");
        assertThat(english.get(notices + " past")).contains("The send time has passed.");
        assertThat(english.get(notices + " window")).contains("The sending hours must start before they end.");
        assertThat(english.get(notices + " day 40"))
                .contains("Please enter the day of the month as a number from 1 to 31.");
        assertThat(english.get(notices + " window end")).contains("Please enter the end of the sending hours.");
        assertThat(english.get(calls + " offsets")).contains("such as 14,7,3,1");
        assertThat(english.get(calls + " offsets range")).contains("0 to 365 days before the deadline");
        assertThat(english.get(calls + " before opening")).contains("The deadline must be after the call opens.");
        // Japanese pages keep the messages they always had.
        assertThat(refused(ja, notices, noticeForm(bunka, "sendTime", "25:00")))
                .contains("送信日の時刻は「9:00」の形で入力してください");
        assertThat(refused(ja, calls, callForm(bunka, "grace", "-5")))
                .contains("猶予時間（分）は0〜10080の数で入力してください");
        assertThat(refused(ja, notices, noticeForm(bunka, "mode", "repeat", "ruleType", "monthly-day",
                "ruleDay", "1", "ruleTime", "9:00", "windowStart", "18:00", "windowEnd", "8:00")))
                .contains("送信時間帯の開始は終了より前にしてください");

        // Moving a call's deadline: the flash after it, refused and done.
        en.post("/staff/schedules/calls/" + call + "/deadline", Map.of("deadlineDate", "2027-13-01"), true);
        String notMoved = en.get("/staff/schedules/calls/" + call).body();
        assertThat(notMoved).contains("Please enter the new deadline as 2027-02-15.");
        pages.add("deadline not moved\n" + notMoved);
        en.post("/staff/schedules/calls/" + call + "/deadline", Map.of("deadlineDate", "2027-02-20"), true);
        String moved = en.get("/staff/schedules/calls/" + call).body();
        assertThat(moved).contains("2027/02/20 (Sat) 17:00");
        pages.add("deadline moved\n" + moved);

        List<String> typed = new ArrayList<>();
        for (MailingList l : server.lists.all()) {
            typed.add(l.displayName());
            typed.add(l.description());
        }
        new StaffAccounts(server.db, server.clock).all().forEach(u -> typed.add(u.displayName()));
        // Titles are data too, the ones a call gives its notices (in the list's language) included.
        server.schedules.notices().recent(100).forEach(n -> typed.add(n.title()));
        // The holidays' official names on the calendar are data, as the Cabinet Office publishes them.
        typed.addAll(List.of("元日", "成人の日"));
        assertThat(JapaneseLeftovers.in(pages, typed))
                .as("Japanese left on English schedules pages (a text missing from the catalogue?)").isEmpty();
    }
    /** Acts, follows the redirect and returns the page with the flash that says what happened. */
    private String after(HttpSession http, String action, String page) throws Exception {
        HttpResponse<String> r = http.post(action, Map.of(), true);
        assertThat(r.statusCode()).as(action).isEqualTo(302);
        return http.get(page).body();
    }

    @Test
    void theServicesRefusalsAndWhyASendWasNotSentAreInTheReadersLanguage() throws Exception {
        long bunka = server.listId("bunka");
        String base = "/staff/schedules";
        // A notice due tomorrow whose time passes while the server "was down": missed, with its reason stored.
        long missedNotice = server.schedules.notices().createAndSchedule(NoticeDraft.oneOff("Library day", "Library",
                "Open", List.of(bunka), ScheduleService.instant(LocalDateTime.of(2026, 12, 21, 9, 0)))
                .withGrace(java.time.Duration.ofMinutes(15)));
        long missedSend = server.schedules.notices().sendsOf(missedNotice).get(0).id();
        long later = server.schedules.notices().createAndSchedule(NoticeDraft.oneOff("Festival", "Festival",
                "See you", List.of(bunka), ScheduleService.instant(LocalDateTime.of(2027, 1, 15, 9, 0))));
        long laterSend = server.schedules.notices().sendsOf(later).get(0).id();
        long call = server.schedules.calls().create(CallService.CallDraft.of("Proposals", ScheduleService.instant(
                LocalDateTime.of(2026, 12, 1, 0, 0)), ScheduleService.instant(LocalDateTime.of(2027, 2, 15, 17, 0)),
                "", List.of(bunka)));
        server.clock.set(ScheduleService.instant(LocalDateTime.of(2026, 12, 21, 12, 0)));
        assertThat(server.schedules.sends().fire(missedSend))
                .isEqualTo(jp.kitamoto.lists.schedules.service.SendService.Outcome.MISSED);

        HttpSession en = staff("en");
        List<String> pages = new ArrayList<>();
        String missedPage = base + "/notices/" + missedNotice;
        String laterPage = base + "/notices/" + later;
        String callPage = base + "/calls/" + call;
        String upcoming = en.get(base).body();
        assertThat(upcoming).contains("Not sent: its grace period (15 min) after the send time (2026/12/21 (Mon) 9:00)");
        pages.add("upcoming with a missed send\n" + upcoming);
        pages.add("history\n" + en.get(base + "/history").body());

        // SendService.sendNow: a send in the wrong state, a notice not active.
        String wrongState = after(en, base + "/sends/" + laterSend + "/retry", laterPage);
        assertThat(wrongState).contains("Only a failed or missed send can be sent now (this one: Scheduled).");
        pages.add("retry scheduled\n" + wrongState);
        pages.add("pause\n" + after(en, missedPage + "/pause", missedPage));
        String notActive = after(en, base + "/sends/" + missedSend + "/retry", missedPage);
        assertThat(notActive).contains("The notice is \"Paused\", so it cannot be sent. Resume it first.",
                "Not sent: its grace period");
        pages.add("retry paused\n" + notActive);
        // NoticeService: schedule what is not a draft, resume what is not paused, edit what is cancelled.
        String notDraft = after(en, laterPage + "/schedule", laterPage);
        assertThat(notDraft).contains("Only a draft notice can be scheduled.");
        pages.add("schedule twice\n" + notDraft);
        String notPaused = after(en, laterPage + "/resume", laterPage);
        assertThat(notPaused).contains("Only a paused notice can be resumed.");
        pages.add("resume active\n" + notPaused);
        String cancelled = after(en, laterPage + "/cancel", laterPage);
        assertThat(cancelled).contains("The notice was cancelled");
        pages.add("cancelled\n" + cancelled);
        String notActiveToPause = after(en, laterPage + "/pause", laterPage);
        assertThat(notActiveToPause).contains("Only a scheduled notice can be paused.");
        pages.add("pause cancelled\n" + notActiveToPause);
        HttpResponse<String> edit = en.post(laterPage, noticeForm(bunka), true);
        assertThat(edit.statusCode()).isEqualTo(400);
        assertThat(edit.body()).contains("A cancelled or finished notice cannot be edited. Please duplicate it.");
        pages.add("edit cancelled\n" + edit.body());
        // CallService: cancel twice, then move the deadline of the cancelled call.
        pages.add("call cancelled\n" + after(en, callPage + "/cancel", callPage));
        String twice = after(en, callPage + "/cancel", callPage);
        assertThat(twice).contains("This call has already been cancelled.");
        pages.add("call cancelled twice\n" + twice);
        en.post(callPage + "/deadline", Map.of("deadlineDate", "2027-02-20", "deadlineTime", "17:00"), true);
        String notMoved = en.get(callPage).body();
        assertThat(notMoved).contains("The deadline of a cancelled call cannot be changed.");
        pages.add("deadline of a cancelled call\n" + notMoved);
        long reminder = server.schedules.calls().notices(call).get(0).notice().id();
        String reminderPage = en.get(base + "/notices/" + reminder).body();
        assertThat(reminderPage).contains("Cancelled with the call");
        pages.add("a reminder of the cancelled call\n" + reminderPage);

        // The same on Japanese pages, as they always read.
        HttpSession ja = staff("ja");
        assertThat(ja.get(missedPage).body()).contains("猶予時間（15分）を過ぎたため");
        assertThat(after(ja, base + "/sends/" + missedSend + "/retry", missedPage))
                .contains("お知らせが「" + jp.kitamoto.lists.text.Texts.japanese().get("page.sched.noticeState.PAUSED")
                        + "」のため送れません");
        assertThat(after(ja, callPage + "/cancel", callPage)).contains("この募集はすでに中止されています");
        assertThat(ja.get(laterPage).body()).contains("お知らせを取り消しました");

        List<String> typed = new ArrayList<>();
        for (MailingList l : server.lists.all()) {
            typed.add(l.displayName());
            typed.add(l.description());
        }
        new StaffAccounts(server.db, server.clock).all().forEach(u -> typed.add(u.displayName()));
        // What a call writes for its notices (titles, and the templates members read) is data in the list's
        // language (CallService.LIST_LANGUAGE), as what staff typed.
        server.schedules.notices().recent(100).forEach(n -> typed.addAll(List.of(n.title(), n.subjectTemplate(),
                n.bodyTemplate())));
        assertThat(JapaneseLeftovers.in(pages, typed))
                .as("Japanese left on English schedules pages (a text missing from the catalogue?)").isEmpty();
    }
}
