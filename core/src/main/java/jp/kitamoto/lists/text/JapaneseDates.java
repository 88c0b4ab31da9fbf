package jp.kitamoto.lists.text;

import jp.kitamoto.lists.domain.JapanTime;

import java.time.DateTimeException;
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
 * The one formatter of dates people read, always in Japan time, with the Japanese era as city documents write it:
 * 令和9年1月15日, and 元年 for the first year of an era (令和元年5月1日). Staff pages show the Western date with the era
 * date beside it ({@link #stamp}); notices and the schedules' pages write the era date ({@link #date}).
 */
public final class JapaneseDates {
    private JapaneseDates() {
    }

    /** 令和9年1月15日; the Western date for days before the Meiji calendar (1873), which have no era date here. */
    public static String era(LocalDate d) {
        try {
            return eraYear(d) + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
        } catch (DateTimeException e) {
            return d.getYear() + "年" + d.getMonthValue() + "月" + d.getDayOfMonth() + "日";
        }
    }

    /** 令和9年1月15日（金）: the era date with the day of the week, as notices write it. */
    public static String date(LocalDate d) {
        return era(d) + "（" + d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.JAPAN) + "）";
    }

    /** 2027/01/15（令和9年1月15日） 10:00: a moment on the staff pages, the era date beside the Western one. */
    public static String stamp(long epochMillis) {
        LocalDateTime l = local(Instant.ofEpochMilli(epochMillis));
        LocalDate d = l.toLocalDate();
        return String.format("%04d/%02d/%02d（%s） %s", d.getYear(), d.getMonthValue(), d.getDayOfMonth(), era(d),
                clock(l.toLocalTime()));
    }

    /** 2027-01-15（令和9年1月15日）: a day, for the text next to a date input. */
    public static String withEra(LocalDate d) {
        return d + "（" + era(d) + "）";
    }

    /** The date in Tokyo, with the time (9:00) unless it is midnight, which means "the whole day". */
    public static String dateTime(Instant t) {
        LocalDateTime l = local(t);
        return l.toLocalTime().equals(LocalTime.MIDNIGHT) ? date(l.toLocalDate()) : withTime(t);
    }

    /** 令和9年2月15日（月） 17:00, always with the time (a schedule on a page, where 0:00 is a real time). */
    public static String withTime(Instant t) {
        LocalDateTime l = local(t);
        return date(l.toLocalDate()) + " " + clock(l.toLocalTime());
    }

    /** {@link #withTime(Instant)} of epoch milliseconds; "-" for none (a draft without a send time). */
    public static String withTime(Long millis) {
        return millis == null ? "-" : withTime(Instant.ofEpochMilli(millis));
    }

    /**
     * {@link #withTime(Instant)} as this reader reads it: the era date on a Japanese page; on an English one the
     * Western date with the day of the week, 2027/02/15 (Mon) 17:00 (an era name is Japanese an English reader
     * cannot use).
     */
    public static String withTime(Instant t, Texts reader) {
        if (!english(reader)) {
            return withTime(t);
        }
        LocalDateTime l = local(t);
        LocalDate d = l.toLocalDate();
        return String.format("%04d/%02d/%02d (%s) %s", d.getYear(), d.getMonthValue(), d.getDayOfMonth(),
                d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), clock(l.toLocalTime()));
    }

    /** {@link #date(LocalDate)} as this reader reads it: 2027/01/15 (Fri) in English. */
    public static String date(LocalDate d, Texts reader) {
        return english(reader) ? String.format("%04d/%02d/%02d (%s)", d.getYear(), d.getMonthValue(),
                d.getDayOfMonth(), d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)) : date(d);
    }

    /** {@link #withTime(Instant, Texts)} of epoch milliseconds; "-" for none. */
    public static String withTime(Long millis, Texts reader) {
        return millis == null ? "-" : withTime(Instant.ofEpochMilli(millis), reader);
    }

    /** {@link #month(YearMonth)} as this reader reads it: February 2027 in English. */
    public static String month(YearMonth month, Texts reader) {
        return english(reader) ? month.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                + month.getYear() : month(month);
    }

    private static boolean english(Texts reader) {
        return reader.locale().getLanguage().equals(Texts.ENGLISH.getLanguage());
    }

    /** 9:05, the time of day only, for the calendar cells. */
    public static String time(long millis) {
        return clock(local(Instant.ofEpochMilli(millis)).toLocalTime());
    }

    /** 令和9年2月（2027年2月）, a month with its Western year, for the calendar's title. */
    public static String month(YearMonth month) {
        return eraYear(month.atDay(1)) + "年" + month.getMonthValue() + "月（" + month.getYear() + "年"
                + month.getMonthValue() + "月）";
    }

    private static LocalDateTime local(Instant t) {
        return LocalDateTime.ofInstant(t, JapanTime.ZONE);
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
