package jp.kitamoto.lists.schedules.timing;

import jp.kitamoto.lists.domain.JapanTime;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleServiceTest {
    private static final HolidayCalendar HOLIDAYS = HolidayCalendar.packed();
    private final Clock clock = Clock.fixed(jst(2026, 12, 20, 12, 0), JapanTime.ZONE);
    private final ScheduleService timing = new ScheduleService(clock, HOLIDAYS);

    static Instant jst(int y, int m, int d, int h, int min) {
        return ScheduleService.instant(LocalDateTime.of(y, m, d, h, min));
    }

    @Test
    void packedHolidayDataHasTheSubstituteAndCitizensHolidays() {
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2026, 5, 6))).as("振替休日 for 5/3 (Sunday)").isTrue();
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2026, 9, 22))).as("国民の休日 between 敬老の日 and 秋分の日").isTrue();
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2027, 3, 22))).as("振替休日 for 春分の日 on Sunday").isTrue();
        assertThat(HOLIDAYS.name(LocalDate.of(2027, 1, 11))).isEqualTo("成人の日");
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2027, 1, 12))).isFalse();
        assertThat(HOLIDAYS.isBusinessDay(LocalDate.of(2027, 1, 4))).isTrue();
        assertThat(HOLIDAYS.lastCoveredYear()).isGreaterThanOrEqualTo(2028);
        // Every Happy Monday holiday is a Monday.
        assertThat(HOLIDAYS.isHoliday(LocalDate.of(2028, 10, 9))).isTrue();
        assertThat(LocalDate.of(2028, 10, 9).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
    }

    @Test
    void monthlyNoticeOnNewYearsDayIsSkippedOrShiftedToTheNextBusinessDay() {
        Recurrence firstOfMonth = Recurrence.parse("monthly-day:1@09:00");
        Instant after = clock.instant();

        var skipped = timing.next(firstOfMonth, after, SendWindow.ANY, HolidayPolicy.SKIP, null).orElseThrow();
        assertThat(skipped.nominal()).isEqualTo(jst(2027, 2, 1, 9, 0));
        assertThat(skipped.due()).isEqualTo(jst(2027, 2, 1, 9, 0));

        var shifted = timing.next(firstOfMonth, after, SendWindow.ANY, HolidayPolicy.SHIFT_NEXT_BUSINESS_DAY, null)
                .orElseThrow();
        assertThat(shifted.nominal()).isEqualTo(jst(2027, 1, 1, 9, 0));
        assertThat(shifted.due()).as("1/1 元日 (Fri) → Mon 1/4").isEqualTo(jst(2027, 1, 4, 9, 0));

        var sentAnyway = timing.next(firstOfMonth, after, SendWindow.ANY, HolidayPolicy.SEND, null).orElseThrow();
        assertThat(sentAnyway.due()).isEqualTo(jst(2027, 1, 1, 9, 0));
    }

    @Test
    void firstMondayRuleAndWeekdayWindow() {
        Recurrence firstMonday = Recurrence.parse("monthly-nth:1:MONDAY@09:00");
        assertThat(firstMonday.describeJa()).isEqualTo("毎月第1月曜日 9:00");
        var jan = timing.next(firstMonday, clock.instant(), SendWindow.ANY, HolidayPolicy.SKIP, null).orElseThrow();
        assertThat(jan.due()).isEqualTo(jst(2027, 1, 4, 9, 0));

        // 2nd Monday of January 2027 is 成人の日: shifted to Tuesday, at the window's start.
        Recurrence secondMondayEarly = Recurrence.parse("monthly-nth:2:MONDAY@07:30");
        SendWindow office = new SendWindow(WindowDays.WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(18, 0));
        var shifted = timing.next(secondMondayEarly, clock.instant(), office, HolidayPolicy.SHIFT_NEXT_BUSINESS_DAY,
                null).orElseThrow();
        assertThat(shifted.due()).isEqualTo(jst(2027, 1, 12, 9, 0));

        // A time after the window's end counts as outside the window.
        var late = timing.adjust(LocalDateTime.of(2027, 1, 5, 19, 0), office, HolidayPolicy.SHIFT_NEXT_BUSINESS_DAY);
        assertThat(late).contains(jst(2027, 1, 6, 9, 0));
        assertThat(timing.adjust(LocalDateTime.of(2027, 1, 5, 19, 0), office, HolidayPolicy.SKIP)).isEmpty();
    }

    @Test
    void monthlyDay31FallsOnTheLastDayOfShortMonths() {
        Recurrence r = Recurrence.parse("monthly-day:31@10:00");
        assertThat(r.nextAfter(LocalDateTime.of(2027, 2, 1, 0, 0))).isEqualTo(LocalDateTime.of(2027, 2, 28, 10, 0));
    }

    @Test
    void recurrenceEndsAtItsEndDate() {
        Recurrence weekly = Recurrence.parse("weekly:WEDNESDAY@9:00");
        assertThat(timing.next(weekly, clock.instant(), SendWindow.ANY, HolidayPolicy.SEND, jst(2026, 12, 22, 0, 0)))
                .isEmpty();
        assertThat(timing.next(weekly, clock.instant(), SendWindow.ANY, HolidayPolicy.SEND, null).orElseThrow().due())
                .isEqualTo(jst(2026, 12, 23, 9, 0));
    }

    @Test
    void badRulesAreRefusedWithAJapaneseMessage() {
        assertThatThrownBy(() -> Recurrence.parse("monthly-day:32@09:00")).hasMessageContaining("繰り返しの指定");
        assertThatThrownBy(() -> Recurrence.parse("every day")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void remindersAreCalendarDaysBeforeTheDeadlineAtTheirTime() {
        Instant deadline = jst(2027, 1, 15, 17, 0);
        assertThat(timing.reminderAt(deadline, 14, LocalTime.of(9, 0))).isEqualTo(jst(2027, 1, 1, 9, 0));
        assertThat(timing.reminderAt(deadline, 1, LocalTime.of(9, 0))).isEqualTo(jst(2027, 1, 14, 9, 0));
    }

    @Test
    void graceIsMeasuredFromTheDueTime() {
        Instant now = clock.instant();
        assertThat(timing.isPastGrace(now.minus(Duration.ofMinutes(59)), Duration.ofHours(1))).isFalse();
        assertThat(timing.isPastGrace(now.minus(Duration.ofMinutes(61)), Duration.ofHours(1))).isTrue();
    }
}
