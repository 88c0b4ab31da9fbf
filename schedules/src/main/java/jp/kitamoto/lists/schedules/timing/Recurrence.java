package jp.kitamoto.lists.schedules.timing;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A recurring rule, stored as a short text (column {@code sched_notices.rule}):
 * <ul>
 *   <li>{@code monthly-day:1@09:00}: the 1st of each month at 9:00 (days 29–31 fall on the month's last day);</li>
 *   <li>{@code monthly-nth:1:MONDAY@09:00}: the first Monday of each month at 9:00 ({@code -1}: the last one);</li>
 *   <li>{@code weekly:MONDAY@09:00}: every Monday at 9:00.</li>
 * </ul>
 * Times are wall-clock times in Asia/Tokyo; holidays and send windows are applied by {@link ScheduleService}.
 */
public sealed interface Recurrence {

    LocalTime time();

    /** The first nominal date-time of this rule strictly after {@code after}. */
    LocalDateTime nextAfter(LocalDateTime after);

    String text();

    String describeJa();

    record MonthlyDay(int day, LocalTime time) implements Recurrence {
        public MonthlyDay {
            if (day < 1 || day > 31) {
                throw new IllegalArgumentException("日は1〜31で指定してください: " + day);
            }
        }

        @Override
        public LocalDateTime nextAfter(LocalDateTime after) {
            for (LocalDate month = after.toLocalDate().withDayOfMonth(1); ; month = month.plusMonths(1)) {
                LocalDateTime t = month.withDayOfMonth(Math.min(day, month.lengthOfMonth())).atTime(time);
                if (t.isAfter(after)) {
                    return t;
                }
            }
        }

        @Override
        public String text() {
            return "monthly-day:" + day + "@" + time;
        }

        @Override
        public String describeJa() {
            return "毎月" + day + "日 " + Recurrence.timeJa(time);
        }
    }

    record MonthlyNthWeekday(int nth, DayOfWeek weekday, LocalTime time) implements Recurrence {
        public MonthlyNthWeekday {
            if (nth != -1 && (nth < 1 || nth > 4)) {
                throw new IllegalArgumentException("第何週は1〜4または-1（最終）で指定してください: " + nth);
            }
        }

        @Override
        public LocalDateTime nextAfter(LocalDateTime after) {
            for (LocalDate month = after.toLocalDate().withDayOfMonth(1); ; month = month.plusMonths(1)) {
                LocalDate d = nth == -1 ? month.with(TemporalAdjusters.lastInMonth(weekday))
                        : month.with(TemporalAdjusters.dayOfWeekInMonth(nth, weekday));
                LocalDateTime t = d.atTime(time);
                if (t.isAfter(after)) {
                    return t;
                }
            }
        }

        @Override
        public String text() {
            return "monthly-nth:" + nth + ":" + weekday + "@" + time;
        }

        @Override
        public String describeJa() {
            return "毎月" + (nth == -1 ? "最終" : "第" + nth) + weekday.getDisplayName(TextStyle.FULL, Locale.JAPAN) + " "
                    + Recurrence.timeJa(time);
        }
    }

    record Weekly(DayOfWeek weekday, LocalTime time) implements Recurrence {
        @Override
        public LocalDateTime nextAfter(LocalDateTime after) {
            LocalDateTime t = after.toLocalDate().with(TemporalAdjusters.nextOrSame(weekday)).atTime(time);
            return t.isAfter(after) ? t : t.plusWeeks(1);
        }

        @Override
        public String text() {
            return "weekly:" + weekday + "@" + time;
        }

        @Override
        public String describeJa() {
            return "毎週" + weekday.getDisplayName(TextStyle.FULL, Locale.JAPAN) + " " + Recurrence.timeJa(time);
        }
    }

    static String timeJa(LocalTime t) {
        return t.getHour() + ":" + String.format("%02d", t.getMinute());
    }

    /** Parses the stored text; throws {@link IllegalArgumentException} with a Japanese message for staff. */
    static Recurrence parse(String text) {
        try {
            int at = text.lastIndexOf('@');
            LocalTime time = LocalTime.parse(text.substring(at + 1).length() == 4 ? "0" + text.substring(at + 1)
                    : text.substring(at + 1));
            String[] parts = text.substring(0, at).split(":");
            return switch (parts[0]) {
                case "monthly-day" -> new MonthlyDay(Integer.parseInt(parts[1]), time);
                case "monthly-nth" -> new MonthlyNthWeekday(Integer.parseInt(parts[1]),
                        DayOfWeek.valueOf(parts[2].toUpperCase(Locale.ROOT)), time);
                case "weekly" -> new Weekly(DayOfWeek.valueOf(parts[1].toUpperCase(Locale.ROOT)), time);
                default -> throw new IllegalArgumentException(parts[0]);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("繰り返しの指定が読めません: " + text
                    + "（例: monthly-day:1@09:00, monthly-nth:1:MONDAY@09:00, weekly:MONDAY@09:00）", e);
        }
    }
}
