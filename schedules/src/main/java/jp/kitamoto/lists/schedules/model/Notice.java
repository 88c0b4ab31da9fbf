package jp.kitamoto.lists.schedules.model;

import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.schedules.timing.WindowDays;

import java.time.Duration;
import java.time.LocalTime;

/**
 * A notice staff write: its templates, its schedule and its state (a row of {@code sched_notices}). Times are epoch
 * millis; {@code rule}, the window and the holiday policy only matter for {@link NoticeKind#RECURRING}.
 */
public record Notice(long id, Long callId, NoticeKind kind, Integer offsetDays, String title, String subjectTemplate,
                     String bodyTemplate, Long eventAt, Long deadlineAt, String link, Long sendAt, String rule,
                     Long startsAt, Long endsAt, WindowDays windowDays, String windowStart, String windowEnd,
                     HolidayPolicy holidayPolicy, int graceMinutes, NoticeState state, String createdBy,
                     long createdAt, long updatedAt) {

    public boolean isRecurring() {
        return kind == NoticeKind.RECURRING;
    }

    public Recurrence recurrence() {
        return Recurrence.parse(rule);
    }

    public SendWindow window() {
        return new SendWindow(windowDays, windowStart == null ? null : LocalTime.parse(windowStart),
                windowEnd == null ? null : LocalTime.parse(windowEnd));
    }

    public Duration grace() {
        return Duration.ofMinutes(graceMinutes);
    }
}
