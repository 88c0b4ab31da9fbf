package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.schedules.timing.WindowDays;
import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.text.Texts;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * How a notice is scheduled, in one line for its page and in the reader's language (catalogue keys
 * {@code page.sched.rule.*} and {@code page.sched.describe.*}): 毎月第1月曜日 9:00・平日のみ・祝日: 翌営業日に送信, or
 * Monthly on the first Monday at 9:00, weekdays only, on holidays: send on the next business day. The Japanese line
 * is the model's {@link Recurrence#describeJa()} followed by the window and the holiday rule, as the page always
 * showed it.
 */
final class ScheduleDescription {
    private ScheduleDescription() {
    }

    static String of(Notice n, Texts t) {
        if (n.isRecurring() && n.rule() != null) {
            List<String> parts = new ArrayList<>();
            parts.add(rule(n.recurrence(), t));
            SendWindow w = n.window();
            if (w.days() == WindowDays.WEEKDAYS) {
                parts.add(t.get("page.sched.windowDays." + w.days().name()));
            }
            if (w.hasHours()) {
                parts.add(t.format("page.sched.describe.hours", "start", w.start(), "end", w.end()));
            }
            if (n.holidayPolicy() != null) {
                parts.add(t.format("page.sched.describe.holidays", "policy",
                        t.get("page.sched.holidayPolicy." + n.holidayPolicy().name())));
            }
            return String.join(t.get("page.sched.describe.separator"), parts);
        }
        return n.sendAt() == null ? "-" : t.format("page.sched.describe.once", "when",
                JapaneseDates.withTime(n.sendAt(), t), "kind", t.get("page.sched.kind." + n.kind().name()));
    }

    /** A repeat rule: 毎月1日 9:00 / Monthly on day 1 at 9:00. */
    static String rule(Recurrence r, Texts t) {
        if (r instanceof Recurrence.MonthlyDay m) {
            return t.format("page.sched.rule.monthlyDay", "day", m.day(), "time", clock(m.time()));
        }
        if (r instanceof Recurrence.MonthlyNthWeekday m) {
            return t.format("page.sched.rule.monthlyNth", "nth",
                    t.get(m.nth() == -1 ? "page.sched.rule.nth.last" : "page.sched.rule.nth." + m.nth()),
                    "weekday", weekday(m.weekday(), t), "time", clock(m.time()));
        }
        Recurrence.Weekly w = (Recurrence.Weekly) r;
        return t.format("page.sched.rule.weekly", "weekday", weekday(w.weekday(), t), "time", clock(w.time()));
    }

    private static String weekday(DayOfWeek d, Texts t) {
        return d.getDisplayName(TextStyle.FULL, t.locale());
    }

    /** 9:00, as the model's Japanese description writes a time. */
    private static String clock(LocalTime time) {
        return time.getHour() + ":" + String.format("%02d", time.getMinute());
    }
}
