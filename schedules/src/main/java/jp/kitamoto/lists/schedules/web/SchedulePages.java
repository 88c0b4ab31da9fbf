package jp.kitamoto.lists.schedules.web;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.model.SendHistory;
import jp.kitamoto.lists.schedules.notice.JapaneseDates;
import jp.kitamoto.lists.schedules.notice.NoticeComposer;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.service.SendService;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.schedules.timing.WindowDays;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.web.support.Page;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The staff pages of the schedules module, plugged into admin-web as a {@link WebModule} under
 * {@code /staff/schedules}: upcoming sends and missed ones, notices (create, edit, schedule, pause, resume, cancel,
 * duplicate, preview for one member, test copy to oneself), calls (募集) with their reminders (move the deadline,
 * cancel with an optional cancellation notice) and the history of what was sent with delivery counts.
 *
 * <p>Who may do what: administrators everything; list owners (リスト管理者) only notices and calls whose target lists
 * are all lists assigned to them; moderators nothing (they handle held posts only).
 *
 * <p>Templates: jte resolves {@code @template.layout(...)} from template <em>sources</em> at compile time, and
 * admin-web's {@code layout.jte} is not in this module. So this module's templates ({@code src/main/jte/schedules/})
 * render only the page body, and {@link #show} wraps that body, as a {@link Content}, in admin-web's precompiled
 * {@code layout.jte} through {@link WebSupport#render}. Both sets of classes live in
 * {@code gg.jte.generated.precompiled}, in different folders.
 */
public final class SchedulePages implements WebModule {
    static final String BASE = "/staff/schedules";
    private static final String TEST_ADDRESS = "schedules.testAddress";
    private static final String[] NOTICE_FIELDS = {"title", "subject", "body", "mode", "sendDate", "sendTime",
            "ruleType", "ruleDay", "ruleNth", "ruleWeekday", "ruleTime", "startDate", "windowDays", "windowStart",
            "windowEnd", "holidayPolicy", "eventDate", "eventTime", "deadlineDate", "deadlineTime", "link", "grace",
            "action"};
    private static final String[] CALL_FIELDS = {"title", "opensDate", "deadlineDate", "deadlineTime", "offsets",
            "reminderTime", "link", "closing", "resultsDate", "resultsTime", "grace"};

    private final Schedules schedules;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private WebSupport web;

    public SchedulePages(Schedules schedules) {
        this.schedules = schedules;
    }

    @Override
    public List<MenuLink> menu() {
        // Moderators handle held posts only (see access): no link they could not follow.
        return List.of(new MenuLink("予約送信", BASE, EnumSet.of(StaffRole.ADMIN, StaffRole.OWNER)));
    }

    /** One upcoming or missed send with its notice, for the lists. */
    public record SendRow(ScheduledSend send, Notice notice) {
    }

    /** One day of the month calendar: its sends (cancelled ones left out) and, if any, its holiday's name. */
    public record CalendarDay(LocalDate date, boolean inMonth, boolean today, String holiday, List<SendRow> sends) {
        public boolean weekend() {
            return date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        }
    }

    /** One history line with its posts (one per list) and their delivery counts. */
    public record HistoryRow(SendHistory send, List<PostCounts> posts) {
    }

    public record PostCounts(long postId, long sent, long pending, long failed) {
    }

    /** A reminder or other notice of a call, for the call's page. */
    public record CallRow(Notice notice, List<ScheduledSend> sends) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport support) {
        this.web = support;
        r.get(BASE, this::upcoming);
        r.get(BASE + "/history", this::history);
        r.get(BASE + "/calendar", this::calendar);
        r.get(BASE + "/notices/new", ctx -> {
            StaffUser user = access(ctx);
            Form f = new Form().set("mode", "once").set("sendTime", "9:00").set("ruleType", "monthly-day")
                    .set("ruleDay", "1").set("ruleNth", "1").set("ruleWeekday", "MONDAY").set("ruleTime", "9:00")
                    .set("windowDays", "ANY_DAY").set("holidayPolicy", "SEND").set("grace", "60");
            noticeForm(ctx, user, null, f, null);
        });
        r.post(BASE + "/notices", ctx -> {
            StaffUser user = access(ctx);
            Form f = Form.of(ctx, NOTICE_FIELDS);
            NoticeDraft d;
            try {
                d = noticeDraft(f, user);
            } catch (IllegalArgumentException e) {
                noticeForm(ctx, user, null, f, e.getMessage());
                return;
            }
            web.require(ctx, canHandle(user, d.listIds()));
            long id;
            try {
                id = f.is("action", "schedule") ? schedules.notices().createAndSchedule(d) : schedules.notices().create(d);
            } catch (IllegalArgumentException | IllegalStateException e) {
                noticeForm(ctx, user, null, f, e.getMessage());
                return;
            }
            web.audit(ctx, "schedule.notice.create", first(d.listIds()), "notice " + id,
                    d.title() + (f.is("action", "schedule") ? "（予約）" : "（下書き）"));
            web.flash(ctx, f.is("action", "schedule") ? "お知らせを予約しました。" : "お知らせを下書きとして保存しました。");
            ctx.redirect(BASE + "/notices/" + id);
        });
        r.get(BASE + "/notices/{id}", this::noticePage);
        r.get(BASE + "/notices/{id}/edit", ctx -> {
            StaffUser user = access(ctx);
            Notice n = notice(ctx, user);
            noticeForm(ctx, user, n, formOf(n, schedules.notices().listIds(n.id())), null);
        });
        r.post(BASE + "/notices/{id}", ctx -> {
            StaffUser user = access(ctx);
            Notice n = notice(ctx, user);
            Form f = Form.of(ctx, NOTICE_FIELDS);
            try {
                NoticeDraft d = noticeDraft(f, user);
                web.require(ctx, canHandle(user, d.listIds()));
                schedules.notices().update(n.id(), d);
                web.audit(ctx, "schedule.notice.update", first(d.listIds()), "notice " + n.id(), d.title());
            } catch (IllegalArgumentException | IllegalStateException e) {
                noticeForm(ctx, user, n, f, e.getMessage());
                return;
            }
            web.flash(ctx, "お知らせを変更しました。");
            ctx.redirect(BASE + "/notices/" + n.id());
        });
        r.post(BASE + "/notices/{id}/{action}", this::noticeAction);
        r.get(BASE + "/notices/{id}/preview", this::preview);
        r.post(BASE + "/sends/{id}/retry", this::retry);
        r.get(BASE + "/calls", ctx -> {
            StaffUser user = access(ctx);
            List<Call> calls = schedules.calls().all().stream()
                    .filter(c -> canHandle(user, schedules.calls().listIds(c.id()))).toList();
            show(ctx, "募集（締切リマインダー）", "schedules/calls.jte", Map.of("calls", calls));
        });
        r.get(BASE + "/calls/new", ctx -> {
            StaffUser user = access(ctx);
            Form f = new Form().set("deadlineTime", "17:00").set("reminderTime", "9:00").set("offsets", "14,7,3,1")
                    .set("closing", "on").set("grace", "60");
            callForm(ctx, user, f, null);
        });
        r.post(BASE + "/calls", ctx -> {
            StaffUser user = access(ctx);
            Form f = Form.of(ctx, CALL_FIELDS);
            CallService.CallDraft d;
            try {
                d = callDraft(f, user);
            } catch (IllegalArgumentException e) {
                callForm(ctx, user, f, e.getMessage());
                return;
            }
            web.require(ctx, canHandle(user, d.listIds()));
            long id = schedules.calls().create(d);
            web.audit(ctx, "schedule.call.create", first(d.listIds()), "call " + id, d.title() + " 締切 "
                    + when(d.deadlineAt()) + " リマインダー " + d.reminderOffsets());
            web.flash(ctx, "募集を登録し、リマインダーを予約しました。");
            ctx.redirect(BASE + "/calls/" + id);
        });
        r.get(BASE + "/calls/{id}", this::callPage);
        r.post(BASE + "/calls/{id}/deadline", ctx -> {
            StaffUser user = access(ctx);
            Call call = call(ctx, user);
            Form f = Form.of(ctx, "deadlineDate", "deadlineTime");
            try {
                Instant at = ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime", "新しい締切",
                        LocalTime.of(17, 0)));
                schedules.calls().moveDeadline(call.id(), at);
                web.audit(ctx, "schedule.call.deadline", first(schedules.calls().listIds(call.id())),
                        "call " + call.id(), when(call.deadlineAt()) + " → " + when(at));
                web.flash(ctx, "締切を " + when(at) + " に変更しました。未送信のリマインダーも移動しました。");
            } catch (IllegalArgumentException | IllegalStateException e) {
                web.flash(ctx, "締切を変更できませんでした: " + e.getMessage());
            }
            ctx.redirect(BASE + "/calls/" + call.id());
        });
        r.post(BASE + "/calls/{id}/cancel", ctx -> {
            StaffUser user = access(ctx);
            Call call = call(ctx, user);
            boolean notify = "on".equals(ctx.formParam("notify"));
            try {
                Optional<Long> notice = schedules.calls().cancel(call.id(), notify);
                web.audit(ctx, "schedule.call.cancel", first(schedules.calls().listIds(call.id())),
                        "call " + call.id(), call.title() + (notify ? "（中止のお知らせを送信: notice "
                                + notice.orElse(null) + "）" : "（お知らせなし）"));
                web.flash(ctx, "募集を中止し、未送信のお知らせを取り消しました。" + (notify ? "中止のお知らせを送ります。" : ""));
            } catch (IllegalStateException e) {
                web.flash(ctx, e.getMessage());
            }
            ctx.redirect(BASE + "/calls/" + call.id());
        });
    }

    // ---- pages ----------------------------------------------------------------------------------------------

    private void upcoming(Context ctx) {
        StaffUser user = access(ctx);
        List<SendRow> upcoming = rows(user, schedules.notices().upcoming(500));
        List<SendRow> missed = rows(user, web.deps().database().read(s -> s.getMapper(SendMapper.class)
                .findByState("MISSED")));
        List<SendRow> failed = rows(user, web.deps().database().read(s -> s.getMapper(SendMapper.class)
                .findByState("FAILED")));
        List<Notice> notices = schedules.notices().recent(200).stream()
                .filter(n -> n.callId() == null && canHandle(user, schedules.notices().listIds(n.id()))).toList();
        show(ctx, "予約送信", "schedules/upcoming.jte", Map.of("upcoming", upcoming, "missed", missed, "failed", failed,
                "notices", notices, "now", when(schedules.timing().now())));
    }

    /** A month (Monday first) of sends in Japan time: scheduled, sent, missed and failed, with public holidays. */
    private void calendar(Context ctx) {
        StaffUser user = access(ctx);
        LocalDate today = ScheduleService.local(schedules.timing().now()).toLocalDate();
        YearMonth month;
        try {
            month = YearMonth.parse(Optional.ofNullable(ctx.queryParam("month")).orElse(""));
        } catch (DateTimeParseException e) {
            month = YearMonth.from(today);
        }
        LocalDate first = month.atDay(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate end = month.atEndOfMonth().with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY)).plusDays(1);
        long from = ScheduleService.instant(first.atStartOfDay()).toEpochMilli();
        long to = ScheduleService.instant(end.atStartOfDay()).toEpochMilli();
        Map<LocalDate, List<SendRow>> byDay = rows(user, web.deps().database().read(s -> s.getMapper(SendMapper.class)
                .findBetween(from, to))).stream().collect(Collectors.groupingBy(
                r -> ScheduleService.local(Instant.ofEpochMilli(r.send().dueAt())).toLocalDate()));
        List<List<CalendarDay>> weeks = new ArrayList<>();
        for (LocalDate d = first; d.isBefore(end); d = d.plusDays(1)) {
            if (d.getDayOfWeek() == DayOfWeek.MONDAY) {
                weeks.add(new ArrayList<>());
            }
            HolidayCalendar holidays = schedules.timing().holidays();
            weeks.get(weeks.size() - 1).add(new CalendarDay(d, YearMonth.from(d).equals(month), d.equals(today),
                    holidays.isHoliday(d) ? holidays.name(d) : null, byDay.getOrDefault(d, List.of())));
        }
        String era = JapaneseDates.date(month.atDay(1));
        String title = era.substring(0, era.indexOf('月') + 1) + "（" + month.getYear() + "年"
                + month.getMonthValue() + "月）";
        show(ctx, "送信カレンダー " + title, "schedules/calendar.jte", Map.of("weeks", weeks,
                "prev", month.minusMonths(1).toString(), "next", month.plusMonths(1).toString(),
                "thisMonth", YearMonth.from(today).toString(), "now", when(schedules.timing().now())));
    }

    private void history(Context ctx) {
        StaffUser user = access(ctx);
        List<HistoryRow> rows = historyRows(user, null);
        show(ctx, "送信履歴", "schedules/history.jte", Map.of("rows", rows));
    }

    private void noticePage(Context ctx) {
        StaffUser user = access(ctx);
        Notice n = notice(ctx, user);
        List<Long> listIds = schedules.notices().listIds(n.id());
        Map<String, Object> p = new HashMap<>();
        p.put("notice", n);
        p.put("lists", lists(listIds));
        p.put("sends", schedules.notices().sendsOf(n.id()));
        p.put("history", historyRows(user, n.id()));
        p.put("schedule", describe(n));
        p.put("call", n.callId() == null ? null : schedules.calls().find(n.callId()).orElse(null));
        p.put("testAddress", Optional.ofNullable((String) ctx.sessionAttribute(TEST_ADDRESS)).orElse(""));
        show(ctx, "お知らせ: " + n.title(), "schedules/notice.jte", p);
    }

    private void preview(Context ctx) {
        StaffUser user = access(ctx);
        Notice n = notice(ctx, user);
        List<Long> listIds = schedules.notices().listIds(n.id());
        long listId = parseId(Optional.ofNullable(ctx.queryParam("list")).orElse(""), first(listIds));
        String member = Optional.ofNullable(ctx.queryParam("member")).orElse("").strip();
        if (!listIds.contains(listId)) {
            throw new NotFoundResponse();
        }
        MailingList list = web.deps().lists().byId(listId).orElseThrow(NotFoundResponse::new);
        NoticeComposer.Rendered r = schedules.notices().preview(n.id(), listId,
                member.isEmpty() ? "member@example.jp" : member);
        show(ctx, "プレビュー: " + n.title(), "schedules/preview.jte", Map.of("notice", n, "list", list,
                "member", member, "rendered", r));
    }

    private void callPage(Context ctx) {
        StaffUser user = access(ctx);
        Call call = call(ctx, user);
        List<CallRow> rows = schedules.calls().notices(call.id()).stream()
                .map(cn -> new CallRow(cn.notice(), cn.sends())).toList();
        LocalDateTime deadline = ScheduleService.local(Instant.ofEpochMilli(call.deadlineAt()));
        show(ctx, "募集: " + call.title(), "schedules/call.jte", Map.of("call", call, "rows", rows,
                "lists", lists(schedules.calls().listIds(call.id())),
                "deadlineDate", deadline.toLocalDate().toString(),
                "deadlineTime", deadline.toLocalTime().toString()));
    }

    private void noticeAction(Context ctx) {
        StaffUser user = access(ctx);
        Notice n = notice(ctx, user);
        String action = ctx.pathParam("action");
        Long listId = first(schedules.notices().listIds(n.id()));
        String target = "notice " + n.id();
        try {
            switch (action) {
                case "schedule" -> {
                    schedules.notices().schedule(n.id());
                    web.flash(ctx, "お知らせを予約しました。");
                }
                case "pause" -> {
                    schedules.notices().pause(n.id());
                    web.flash(ctx, "一時停止しました。再開するまで送信しません。");
                }
                case "resume" -> {
                    schedules.notices().resume(n.id());
                    web.flash(ctx, "再開しました。");
                }
                case "cancel" -> {
                    schedules.notices().cancel(n.id());
                    web.flash(ctx, "お知らせを取り消しました。未送信の予定はすべて取り消されました。");
                }
                case "duplicate" -> {
                    long copy = schedules.notices().duplicate(n.id());
                    web.audit(ctx, "schedule.notice.duplicate", listId, target, "→ notice " + copy);
                    web.flash(ctx, "複製しました（下書き）。内容と送信日時を確認してください。");
                    ctx.redirect(BASE + "/notices/" + copy);
                    return;
                }
                case "test" -> {
                    Form f = Form.of(ctx, "address", "list");
                    String address = f.get("address").replace('＠', '@');
                    long list = parseId(f.get("list"), listId);
                    if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                        web.flash(ctx, "テスト送信の宛先には、あなたのメールアドレスを入力してください。");
                        ctx.redirect(BASE + "/notices/" + n.id());
                        return;
                    }
                    if (!schedules.notices().listIds(n.id()).contains(list)) {
                        throw new NotFoundResponse();
                    }
                    ctx.sessionAttribute(TEST_ADDRESS, address);
                    schedules.notices().sendTestCopy(n.id(), list, address, user.label());
                    web.audit(ctx, "schedule.notice.test", list, target, "テスト送信 → " + address);
                    web.flash(ctx, address + " にテスト送信しました（件名に【テスト送信】が付きます）。");
                    ctx.redirect(BASE + "/notices/" + n.id());
                    return;
                }
                default -> throw new NotFoundResponse();
            }
            web.audit(ctx, "schedule.notice." + action, listId, target, n.title());
        } catch (IllegalArgumentException | IllegalStateException e) {
            web.flash(ctx, e.getMessage());
        }
        ctx.redirect(BASE + "/notices/" + n.id());
    }

    /** A FAILED or MISSED send is sent now (see {@code SendService.sendNow}). */
    private void retry(Context ctx) {
        StaffUser user = access(ctx);
        long sendId = parseId(ctx.pathParam("id"), null);
        ScheduledSend send = schedules.sends().find(sendId).orElseThrow(NotFoundResponse::new);
        List<Long> listIds = schedules.notices().listIds(send.noticeId());
        web.require(ctx, canHandle(user, listIds));
        Notice n = schedules.notices().find(send.noticeId()).orElseThrow(NotFoundResponse::new);
        String what = send.state() == SendState.MISSED ? "未送信" : "失敗";
        try {
            SendService.Outcome o = schedules.sends().sendNow(sendId);
            web.audit(ctx, "schedule.send.retry", first(listIds), "notice " + n.id() + " send " + sendId,
                    n.title() + "（" + when(send.dueAt()) + " の" + what + "分）→ " + o);
            web.flash(ctx, switch (o) {
                case DISTRIBUTED -> "送りました。配信の状況は下の送信履歴で確認できます。";
                case FAILED -> "送りましたが、また失敗しました。リストのオーナーにメールでお知らせしました。";
                default -> "送信を受け付けました（" + o + "）。";
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            web.flash(ctx, e.getMessage());
        }
        ctx.redirect(BASE + "/notices/" + n.id());
    }

    // ---- forms ----------------------------------------------------------------------------------------------

    private void noticeForm(Context ctx, StaffUser user, Notice n, Form f, String error) {
        if (error != null) {
            ctx.status(HttpStatus.BAD_REQUEST);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("notice", n);
        p.put("form", f);
        p.put("error", error == null ? "" : error);
        p.put("lists", allowedLists(user));
        p.put("policies", List.of(HolidayPolicy.values()));
        show(ctx, n == null ? "お知らせを作成" : "お知らせを編集: " + n.title(), "schedules/notice-form.jte", p);
    }

    private void callForm(Context ctx, StaffUser user, Form f, String error) {
        if (error != null) {
            ctx.status(HttpStatus.BAD_REQUEST);
        }
        show(ctx, "募集を登録", "schedules/call-form.jte", Map.of("form", f, "error", error == null ? "" : error,
                "lists", allowedLists(user)));
    }

    NoticeDraft noticeDraft(Form f, StaffUser user) {
        String title = f.required("title", "管理用の名前");
        String subject = f.required("subject", "件名");
        String body = f.get("body");
        List<Long> lists = f.lists();
        if (lists.isEmpty()) {
            throw new IllegalArgumentException("送信先のリストを1つ以上選んでください");
        }
        Instant event = f.has("eventDate") ? ScheduleService.instant(f.dateTime("eventDate", "eventTime", "開催日",
                LocalTime.MIDNIGHT)) : null;
        Instant deadline = f.has("deadlineDate") ? ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime",
                "締切", LocalTime.of(17, 0))) : null;
        Duration grace = Duration.ofMinutes(f.has("grace") ? f.number("grace", "猶予時間（分）", 0, 7 * 24 * 60) : 60);
        NoticeDraft d;
        if (f.is("mode", "repeat")) {
            LocalTime at = f.time("ruleTime", "繰り返しの時刻");
            Recurrence rule = switch (f.get("ruleType")) {
                case "monthly-day" -> new Recurrence.MonthlyDay(f.number("ruleDay", "毎月の日", 1, 31), at);
                case "monthly-nth" -> new Recurrence.MonthlyNthWeekday(f.is("ruleNth", "-1") ? -1
                        : f.number("ruleNth", "第何週", 1, 4), weekday(f), at);
                case "weekly" -> new Recurrence.Weekly(weekday(f), at);
                default -> throw new IllegalArgumentException("繰り返しの種類を選んでください");
            };
            Instant starts = f.has("startDate") ? ScheduleService.instant(f.date("startDate", "開始日").atStartOfDay())
                    : null;
            WindowDays days = f.is("windowDays", "WEEKDAYS") ? WindowDays.WEEKDAYS : WindowDays.ANY_DAY;
            SendWindow window = f.has("windowStart") || f.has("windowEnd")
                    ? new SendWindow(days, f.time("windowStart", "送信時間帯の開始"), f.time("windowEnd", "送信時間帯の終了"))
                    : new SendWindow(days, null, null);
            HolidayPolicy policy;
            try {
                policy = HolidayPolicy.valueOf(f.has("holidayPolicy") ? f.get("holidayPolicy") : "SEND");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("祝日の扱いを選んでください");
            }
            d = NoticeDraft.recurring(title, subject, body, lists, rule, starts, window, policy);
        } else {
            LocalDateTime at = f.dateTime("sendDate", "sendTime", "送信日", LocalTime.of(9, 0));
            Instant sendAt = ScheduleService.instant(at);
            if (!sendAt.isAfter(schedules.timing().now())) {
                throw new IllegalArgumentException("送信日時が過ぎています。これから先の日時を入力してください");
            }
            d = NoticeDraft.oneOff(title, subject, body, lists, sendAt);
        }
        return d.withEvent(event, deadline, f.get("link")).withGrace(grace).withCreatedBy(user.username());
    }

    private static DayOfWeek weekday(Form f) {
        try {
            return DayOfWeek.valueOf(f.get("ruleWeekday").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("曜日を選んでください");
        }
    }

    CallService.CallDraft callDraft(Form f, StaffUser user) {
        String title = f.required("title", "募集名");
        Instant opens = ScheduleService.instant(f.date("opensDate", "募集開始日").atStartOfDay());
        Instant deadline = ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime", "締切",
                LocalTime.of(17, 0)));
        if (!deadline.isAfter(schedules.timing().now())) {
            throw new IllegalArgumentException("締切が過ぎています。これから先の日時を入力してください");
        }
        List<Integer> offsets = f.numbers("offsets", "リマインダー");
        LocalTime at = f.has("reminderTime") ? f.time("reminderTime", "リマインダーの時刻") : CallService.DEFAULT_TIME;
        Instant results = f.has("resultsDate") ? ScheduleService.instant(f.dateTime("resultsDate", "resultsTime",
                "結果のお知らせ", LocalTime.of(9, 0))) : null;
        Duration grace = Duration.ofMinutes(f.has("grace") ? f.number("grace", "猶予時間（分）", 0, 7 * 24 * 60) : 60);
        if (f.lists().isEmpty()) {
            throw new IllegalArgumentException("送信先のリストを1つ以上選んでください");
        }
        return new CallService.CallDraft(title, opens, deadline, offsets, at, f.get("link"), f.lists(),
                f.is("closing", "on"), results, null, grace, user.username());
    }

    private static Form formOf(Notice n, List<Long> listIds) {
        Form f = new Form().set("title", n.title()).set("subject", n.subjectTemplate()).set("body", n.bodyTemplate())
                .set("link", n.link()).set("grace", String.valueOf(n.graceMinutes()))
                .set("windowDays", n.windowDays() == null ? "ANY_DAY" : n.windowDays().name())
                .set("windowStart", n.windowStart()).set("windowEnd", n.windowEnd())
                .set("holidayPolicy", n.holidayPolicy() == null ? "SEND" : n.holidayPolicy().name())
                .set("ruleType", "monthly-day").set("ruleDay", "1").set("ruleNth", "1").set("ruleWeekday", "MONDAY")
                .set("ruleTime", "9:00").set("sendTime", "9:00");
        listIds.forEach(f::list);
        dateTimeInto(f, n.sendAt(), "sendDate", "sendTime");
        dateTimeInto(f, n.eventAt(), "eventDate", "eventTime");
        dateTimeInto(f, n.deadlineAt(), "deadlineDate", "deadlineTime");
        dateTimeInto(f, n.startsAt(), "startDate", null);
        if (n.isRecurring() && n.rule() != null) {
            f.set("mode", "repeat");
            Recurrence r = n.recurrence();
            f.set("ruleTime", r.time().toString());
            if (r instanceof Recurrence.MonthlyDay m) {
                f.set("ruleType", "monthly-day").set("ruleDay", String.valueOf(m.day()));
            } else if (r instanceof Recurrence.MonthlyNthWeekday m) {
                f.set("ruleType", "monthly-nth").set("ruleNth", String.valueOf(m.nth()))
                        .set("ruleWeekday", m.weekday().name());
            } else if (r instanceof Recurrence.Weekly w) {
                f.set("ruleType", "weekly").set("ruleWeekday", w.weekday().name());
            }
        } else {
            f.set("mode", "once");
        }
        return f;
    }

    private static void dateTimeInto(Form f, Long millis, String date, String time) {
        if (millis == null) {
            return;
        }
        LocalDateTime l = ScheduleService.local(Instant.ofEpochMilli(millis));
        f.set(date, l.toLocalDate().toString());
        if (time != null) {
            f.set(time, l.toLocalTime().toString());
        }
    }

    // ---- access -------------------------------------------------------------------------------------------------

    /** Signed in and not a moderator (moderators handle held posts only). */
    private StaffUser access(Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        if (user.role() == StaffRole.MODERATOR) {
            web.errorPage(ctx, HttpStatus.FORBIDDEN, "予約送信の画面は、管理者とリスト管理者だけが使えます。");
            throw new jp.kitamoto.lists.web.http.Halt();
        }
        return user;
    }

    /** Admins: any lists; owners: only when every target list is one of theirs. */
    static boolean canHandle(StaffUser user, List<Long> listIds) {
        if (user.isAdmin()) {
            return true;
        }
        return user.role() == StaffRole.OWNER && !listIds.isEmpty() && listIds.stream().allMatch(user::canManage);
    }

    private Notice notice(Context ctx, StaffUser user) {
        long id = parseId(ctx.pathParam("id"), null);
        Notice n = schedules.notices().find(id).orElseThrow(NotFoundResponse::new);
        web.require(ctx, canHandle(user, schedules.notices().listIds(id)));
        return n;
    }

    private Call call(Context ctx, StaffUser user) {
        long id = parseId(ctx.pathParam("id"), null);
        Call c = schedules.calls().find(id).orElseThrow(NotFoundResponse::new);
        web.require(ctx, canHandle(user, schedules.calls().listIds(id)));
        return c;
    }

    private static long parseId(String s, Long fallback) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            if (fallback != null) {
                return fallback;
            }
            throw new NotFoundResponse();
        }
    }

    private List<MailingList> allowedLists(StaffUser user) {
        return web.deps().lists().all().stream().filter(l -> user.canManage(l.id())).toList();
    }

    private List<MailingList> lists(List<Long> ids) {
        return ids.stream().map(id -> web.deps().lists().byId(id)).flatMap(Optional::stream).toList();
    }

    private List<SendRow> rows(StaffUser user, List<ScheduledSend> sends) {
        List<SendRow> out = new ArrayList<>();
        Map<Long, Optional<Notice>> notices = new HashMap<>();
        for (ScheduledSend s : sends) {
            Optional<Notice> n = notices.computeIfAbsent(s.noticeId(), id -> schedules.notices().find(id)
                    .filter(x -> canHandle(user, schedules.notices().listIds(id))));
            n.ifPresent(x -> out.add(new SendRow(s, x)));
        }
        return out;
    }

    private List<HistoryRow> historyRows(StaffUser user, Long noticeId) {
        Map<Long, Boolean> allowed = new HashMap<>();
        return web.deps().database().read(s -> {
            List<HistoryRow> out = new ArrayList<>();
            SendMapper sends = s.getMapper(SendMapper.class);
            DeliveryMapper deliveries = s.getMapper(DeliveryMapper.class);
            for (SendHistory h : sends.findHistory(noticeId, 300)) {
                if (!allowed.computeIfAbsent(h.noticeId(), id -> canHandle(user, schedules.notices().listIds(id)))) {
                    continue;
                }
                List<PostCounts> posts = new ArrayList<>();
                for (long postId : sends.findPostIds(h.sendId())) {
                    Map<String, Long> c = deliveries.countByPost(postId).stream()
                            .collect(Collectors.toMap(x -> x.state().name(), DeliveryMapper.StateCount::count));
                    posts.add(new PostCounts(postId, c.getOrDefault("SENT", 0L), c.getOrDefault("PENDING", 0L),
                            c.getOrDefault("FAILED", 0L)));
                }
                out.add(new HistoryRow(h, posts));
            }
            return out;
        });
    }

    private static Long first(List<Long> ids) {
        return ids.isEmpty() ? null : ids.get(0);
    }

    // ---- rendering ----------------------------------------------------------------------------------------------

    /** Renders this module's body template inside admin-web's layout (see the class comment). */
    private void show(Context ctx, String title, String template, Map<String, Object> params) {
        Page page = web.page(ctx, title);
        Map<String, Object> p = new HashMap<>(params);
        p.put("page", page);
        Content body = out -> templates.render(template, p, out);
        web.render(ctx, "layout.jte", Map.of("page", page, "content", body));
    }

    /** How a notice is scheduled, in Japanese, for the notice page. */
    public static String describe(Notice n) {
        if (n.isRecurring() && n.rule() != null) {
            StringBuilder b = new StringBuilder(n.recurrence().describeJa());
            SendWindow w = n.window();
            if (w.days() == WindowDays.WEEKDAYS) {
                b.append("・").append(w.days().labelJa());
            }
            if (w.hasHours()) {
                b.append("・").append(w.start()).append("〜").append(w.end());
            }
            if (n.holidayPolicy() != null) {
                b.append("・祝日: ").append(n.holidayPolicy().labelJa());
            }
            return b.toString();
        }
        return n.sendAt() == null ? "-" : when(n.sendAt()) + "（" + n.kind().labelJa() + "）";
    }

    /** 令和9年2月15日（月） 17:00, always with the time (Asia/Tokyo). */
    public static String when(long millis) {
        return when(Instant.ofEpochMilli(millis));
    }

    public static String when(Instant t) {
        LocalDateTime l = ScheduleService.local(t);
        return JapaneseDates.date(l.toLocalDate()) + " " + l.getHour() + ":" + String.format("%02d", l.getMinute());
    }

    /** 9:05, the time of day only (Asia/Tokyo), for the calendar cells. */
    public static String clock(long millis) {
        LocalDateTime l = ScheduleService.local(Instant.ofEpochMilli(millis));
        return l.getHour() + ":" + String.format("%02d", l.getMinute());
    }

    public static String when(Long millis) {
        return millis == null ? "-" : when(millis.longValue());
    }

    public static boolean isReminder(Notice n) {
        return n.kind() == NoticeKind.REMINDER;
    }
}
