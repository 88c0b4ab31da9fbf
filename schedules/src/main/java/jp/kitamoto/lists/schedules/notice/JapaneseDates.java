package jp.kitamoto.lists.schedules.notice;

import jp.kitamoto.lists.schedules.timing.ScheduleService;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.chrono.JapaneseDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Dates the way city notices write them: 令和8年12月1日（火）, and 令和元年 for the first year of an era. */
public final class JapaneseDates {
    private JapaneseDates() {
    }

    public static String date(LocalDate d) {
        JapaneseDate jd = JapaneseDate.from(d);
        int year = jd.get(ChronoField.YEAR_OF_ERA);
        return jd.getEra().getDisplayName(TextStyle.FULL, Locale.JAPAN) + (year == 1 ? "元" : Integer.toString(year))
                + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日（"
                + d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.JAPAN) + "）";
    }

    /** The date in Tokyo, with the time (9:00) unless it is midnight, which means "the whole day". */
    public static String dateTime(Instant t) {
        LocalDateTime l = ScheduleService.local(t);
        return l.toLocalTime().equals(LocalTime.MIDNIGHT) ? date(l.toLocalDate())
                : date(l.toLocalDate()) + " " + l.getHour() + ":" + String.format("%02d", l.getMinute());
    }
}
