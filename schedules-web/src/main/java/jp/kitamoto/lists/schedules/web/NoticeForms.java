package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.schedules.timing.WindowDays;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;

/**
 * The notice form and a {@link NoticeDraft}, both ways: a submitted form becomes a draft (or an
 * {@link IllegalArgumentException} whose message, in the reader's language, names the field), and a saved notice fills the form for
 * editing. Times typed and shown are Japan time. What {@code NoticeDraft} and {@code SendWindow} refuse is checked
 * here first, in the reader's language (their own messages are Japanese, for the service's other callers).
 */
final class NoticeForms {
    static final String[] FIELDS = {"title", "subject", "body", "mode", "sendDate", "sendTime", "ruleType", "ruleDay",
            "ruleNth", "ruleWeekday", "ruleTime", "startDate", "windowDays", "windowStart", "windowEnd",
            "holidayPolicy", "eventDate", "eventTime", "deadlineDate", "deadlineTime", "link", "grace", "action"};

    private NoticeForms() {
    }

    /** A new notice: once at 9:00, or monthly on the 1st at 9:00, any day, sent on holidays, 60 minutes' grace. */
    static Form blank() {
        return new Form().set("mode", "once").set("sendTime", "9:00").set("ruleType", "monthly-day")
                .set("ruleDay", "1").set("ruleNth", "1").set("ruleWeekday", "MONDAY").set("ruleTime", "9:00")
                .set("windowDays", "ANY_DAY").set("holidayPolicy", "SEND").set("grace", "60");
    }

    /** The draft a submitted form describes; a one-off time must be after {@code now}. */
    static NoticeDraft draft(Form f, StaffUser user, Instant now) {
        String title = f.required("title", "page.sched.field.noticeTitle");
        String subject = f.required("subject", "page.sched.field.subject");
        String body = f.get("body");
        List<Long> lists = f.lists();
        if (lists.isEmpty()) {
            throw f.problem("page.sched.error.noLists");
        }
        Instant event = f.has("eventDate") ? ScheduleService.instant(f.dateTime("eventDate", "eventTime",
                "page.sched.field.event", LocalTime.MIDNIGHT)) : null;
        Instant deadline = f.has("deadlineDate") ? ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime",
                "page.sched.field.deadline", LocalTime.of(17, 0))) : null;
        Duration grace = Duration.ofMinutes(f.has("grace")
                ? f.number("grace", "page.sched.field.grace", 0, 7 * 24 * 60) : 60);
        NoticeDraft d = f.is("mode", "repeat") ? recurring(f, title, subject, body, lists)
                : oneOff(f, title, subject, body, lists, now);
        return d.withEvent(event, deadline, f.get("link")).withGrace(grace).withCreatedBy(user.username());
    }

    private static NoticeDraft recurring(Form f, String title, String subject, String body, List<Long> lists) {
        LocalTime at = f.time("ruleTime", "page.sched.field.ruleTime");
        Recurrence rule = switch (f.get("ruleType")) {
            case "monthly-day" -> new Recurrence.MonthlyDay(f.number("ruleDay", "page.sched.field.ruleDay", 1, 31), at);
            case "monthly-nth" -> new Recurrence.MonthlyNthWeekday(f.is("ruleNth", "-1") ? -1
                    : f.number("ruleNth", "page.sched.field.ruleNth", 1, 4), weekday(f), at);
            case "weekly" -> new Recurrence.Weekly(weekday(f), at);
            default -> throw f.problem("page.sched.error.ruleType");
        };
        Instant starts = f.has("startDate")
                ? ScheduleService.instant(f.date("startDate", "page.sched.field.startDate").atStartOfDay()) : null;
        WindowDays days = f.is("windowDays", "WEEKDAYS") ? WindowDays.WEEKDAYS : WindowDays.ANY_DAY;
        SendWindow window = new SendWindow(days, null, null);
        if (f.has("windowStart") || f.has("windowEnd")) {
            LocalTime start = f.time("windowStart", "page.sched.field.windowStart");
            LocalTime end = f.time("windowEnd", "page.sched.field.windowEnd");
            if (!start.isBefore(end)) {
                throw f.problem("page.sched.error.windowOrder");
            }
            window = new SendWindow(days, start, end);
        }
        HolidayPolicy policy;
        try {
            policy = HolidayPolicy.valueOf(f.has("holidayPolicy") ? f.get("holidayPolicy") : "SEND");
        } catch (IllegalArgumentException e) {
            throw f.problem("page.sched.error.holidayPolicy");
        }
        return NoticeDraft.recurring(title, subject, body, lists, rule, starts, window, policy);
    }

    private static NoticeDraft oneOff(Form f, String title, String subject, String body, List<Long> lists,
                                      Instant now) {
        Instant sendAt = ScheduleService.instant(f.dateTime("sendDate", "sendTime", "page.sched.field.sendDate",
                LocalTime.of(9, 0)));
        if (!sendAt.isAfter(now)) {
            throw f.problem("page.sched.error.sendPast");
        }
        return NoticeDraft.oneOff(title, subject, body, lists, sendAt);
    }

    private static DayOfWeek weekday(Form f) {
        try {
            return DayOfWeek.valueOf(f.get("ruleWeekday").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw f.problem("page.sched.error.weekday");
        }
    }

    /** The form of a saved notice, for editing. */
    static Form of(Notice n, List<Long> listIds) {
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

    /** Fills the date field (2027-02-15) and, if named, the time field (9:00) with a stored time, in Japan time. */
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
}
