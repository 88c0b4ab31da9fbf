package jp.kitamoto.lists.schedules.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.schedules.service.SendService;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.schedules.web.ViewRows.CalendarDay;
import jp.kitamoto.lists.schedules.web.ViewRows.SendRow;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.text.Refusal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static jp.kitamoto.lists.schedules.web.SchedulePages.BASE;

/**
 * The sends: upcoming ones with the missed and failed ones first, the month calendar, the history with delivery
 * counts, and "send now" for a missed or failed send.
 */
final class SendPages {
    private final Schedules schedules;
    private final WebSupport web;
    private final ScheduleAccess access;
    private final ScheduleView view;

    SendPages(Schedules schedules, WebSupport web, ScheduleAccess access, ScheduleView view) {
        this.schedules = schedules;
        this.web = web;
        this.access = access;
        this.view = view;
    }

    void register(RoutesConfig r) {
        r.get(BASE, this::upcoming);
        r.get(BASE + "/history", this::history);
        r.get(BASE + "/calendar", this::calendar);
        r.post(BASE + "/sends/{id}/retry", this::retry);
    }

    private void upcoming(Context ctx) {
        StaffUser user = access.staff(ctx);
        List<SendRow> upcoming = rows(user, schedules.notices().upcoming(500));
        List<SendRow> missed = rows(user, schedules.reports().inState(SendState.MISSED));
        List<SendRow> failed = rows(user, schedules.reports().inState(SendState.FAILED));
        List<Notice> notices = schedules.notices().recent(200).stream()
                .filter(n -> n.callId() == null && access.canHandleNotice(user, n.id())).toList();
        view.show(ctx, view.t(ctx, "page.layout.schedules"), "schedules/upcoming.jte", Map.of("upcoming", upcoming, "missed", missed,
                "failed", failed, "notices", notices, "now", JapaneseDates.withTime(schedules.timing().now(), web.texts(ctx))));
    }

    /** A month (Monday first) of sends in Japan time: scheduled, sent, missed and failed, with public holidays. */
    private void calendar(Context ctx) {
        StaffUser user = access.staff(ctx);
        LocalDate today = ScheduleService.local(schedules.timing().now()).toLocalDate();
        YearMonth month;
        try {
            month = YearMonth.parse(Optional.ofNullable(ctx.queryParam("month")).orElse(""));
        } catch (DateTimeParseException e) {
            month = YearMonth.from(today);
        }
        LocalDate first = month.atDay(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate end = month.atEndOfMonth().with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY)).plusDays(1);
        List<ScheduledSend> sends = schedules.reports().dueBetween(ScheduleService.instant(first.atStartOfDay()),
                ScheduleService.instant(end.atStartOfDay()));
        Map<LocalDate, List<SendRow>> byDay = rows(user, sends).stream().collect(Collectors.groupingBy(
                r -> ScheduleService.local(Instant.ofEpochMilli(r.send().dueAt())).toLocalDate()));
        HolidayCalendar holidays = schedules.timing().holidays();
        List<List<CalendarDay>> weeks = new ArrayList<>();
        for (LocalDate d = first; d.isBefore(end); d = d.plusDays(1)) {
            if (d.getDayOfWeek() == DayOfWeek.MONDAY) {
                weeks.add(new ArrayList<>());
            }
            weeks.get(weeks.size() - 1).add(new CalendarDay(d, YearMonth.from(d).equals(month), d.equals(today),
                    holidays.isHoliday(d) ? holidays.name(d) : null, byDay.getOrDefault(d, List.of())));
        }
        view.show(ctx, view.t(ctx, "page.sched.title.calendar", "month", JapaneseDates.month(month, web.texts(ctx))), "schedules/calendar.jte", Map.of("weeks", weeks,
                "prev", month.minusMonths(1).toString(), "next", month.plusMonths(1).toString(),
                "thisMonth", YearMonth.from(today).toString(),
                "now", JapaneseDates.withTime(schedules.timing().now(), web.texts(ctx))));
    }

    private void history(Context ctx) {
        StaffUser user = access.staff(ctx);
        view.show(ctx, view.t(ctx, "page.sched.nav.history"), "schedules/history.jte", Map.of("rows", access.history(user, null)));
    }

    /** A FAILED or MISSED send is sent now (see {@code SendService.sendNow}). */
    private void retry(Context ctx) {
        StaffUser user = access.staff(ctx);
        long sendId = ScheduleAccess.id(ctx.pathParam("id"), null);
        ScheduledSend send = schedules.sends().find(sendId).orElseThrow(NotFoundResponse::new);
        List<Long> listIds = schedules.notices().listIds(send.noticeId());
        access.requireLists(ctx, user, listIds);
        Notice n = schedules.notices().find(send.noticeId()).orElseThrow(NotFoundResponse::new);
        String what = send.state() == SendState.MISSED ? "未送信" : "失敗";
        try {
            SendService.Outcome o = schedules.sends().sendNow(sendId);
            web.audit(ctx, "schedule.send.retry", ScheduleAccess.first(listIds), "notice " + n.id() + " send " + sendId,
                    n.title() + "（" + JapaneseDates.withTime(send.dueAt()) + " の" + what + "分）→ " + o);
            web.flash(ctx, switch (o) {
                case DISTRIBUTED -> web.texts(ctx).get("page.sched.flash.sent");
                case FAILED -> web.texts(ctx).get("page.sched.flash.failedAgain");
                default -> web.texts(ctx).format("page.sched.flash.accepted", "outcome", o);
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            web.flash(ctx, Refusal.message(e, web.texts(ctx)));
        }
        ctx.redirect(BASE + "/notices/" + n.id());
    }

    /** The sends joined with their notices, leaving out those of notices the user may not handle. */
    private List<SendRow> rows(StaffUser user, List<ScheduledSend> sends) {
        List<SendRow> out = new ArrayList<>();
        Map<Long, Optional<Notice>> notices = new HashMap<>();
        for (ScheduledSend s : sends) {
            Optional<Notice> n = notices.computeIfAbsent(s.noticeId(), id -> schedules.notices().find(id)
                    .filter(x -> access.canHandleNotice(user, id)));
            n.ifPresent(x -> out.add(new SendRow(s, x)));
        }
        return out;
    }
}
