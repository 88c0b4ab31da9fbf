package jp.kitamoto.lists.schedules.notice;

import jp.kitamoto.lists.schedules.timing.ScheduleService;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.chrono.JapaneseDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Dates the way city notices and the staff pages write them, always in Japan time: 令和8年12月1日（火）, and 令和元年
 * for the first year of an era. The one place for Japanese date formatting in the schedules (mail and pages).
 */
public final class JapaneseDates {
    private JapaneseDates() {
    }

    public static String date(LocalDate d) {
        return eraYear(d) + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日（"
                + d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.JAPAN) + "）";
    }

    /** The date in Tokyo, with the time (9:00) unless it is midnight, which means "the whole day". */
    public static String dateTime(Instant t) {
        LocalDateTime l = ScheduleService.local(t);
        return l.toLocalTime().equals(LocalTime.MIDNIGHT) ? date(l.toLocalDate()) : withTime(t);
    }

    /** 令和9年2月15日（月） 17:00, always with the time (a schedule on a page, where 0:00 is a real time). */
    public static String withTime(Instant t) {
        LocalDateTime l = ScheduleService.local(t);
        return date(l.toLocalDate()) + " " + clock(l.toLocalTime());
    }

    /** {@link #withTime(Instant)} of epoch milliseconds; "-" for none (a draft without a send time). */
    public static String withTime(Long millis) {
        return millis == null ? "-" : withTime(Instant.ofEpochMilli(millis));
    }

    /** 9:05, the time of day only, for the calendar cells. */
    public static String time(long millis) {
        return clock(ScheduleService.local(Instant.ofEpochMilli(millis)).toLocalTime());
    }

    /** 令和9年2月（2027年2月）, a month with its Western year, for the calendar's title. */
    public static String month(YearMonth month) {
        return eraYear(month.atDay(1)) + "年" + month.getMonthValue() + "月（" + month.getYear() + "年"
                + month.getMonthValue() + "月）";
    }

    private static String eraYear(LocalDate d) {
        JapaneseDate jd = JapaneseDate.from(d);
        int year = jd.get(ChronoField.YEAR_OF_ERA);
        return jd.getEra().getDisplayName(TextStyle.FULL, Locale.JAPAN) + (year == 1 ? "元" : Integer.toString(year));
    }

    private static String clock(LocalTime t) {
        return t.getHour() + ":" + String.format("%02d", t.getMinute());
    }
}
