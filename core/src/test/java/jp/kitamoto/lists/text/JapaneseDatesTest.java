package jp.kitamoto.lists.text;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The one date formatter: era years (元年 for the first), era boundaries, Japan time whatever the server's zone. */
class JapaneseDatesTest {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2027-01-15, 令和9年1月15日",
            "2019-04-30, 平成31年4月30日",   // the last day of Heisei
            "2019-05-01, 令和元年5月1日",     // the first day of Reiwa: 元年, not 1年
            "2019-12-31, 令和元年12月31日",
            "2020-01-01, 令和2年1月1日",
            "1989-01-07, 昭和64年1月7日",
            "1989-01-08, 平成元年1月8日",
            "1926-12-25, 昭和元年12月25日",
            "1873-01-01, 明治6年1月1日",
            "1872-12-31, 1872年12月31日"      // before the Meiji calendar: no era date, the Western one
    })
    void writesTheEraDate(LocalDate date, String expected) {
        assertThat(JapaneseDates.era(date)).isEqualTo(expected);
    }

    @Test
    void staffPagesShowTheEraDateBesideTheWesternOneInJapanTime() {
        // 2019-04-30 15:30 UTC is already 1 May in Japan: the first day of Reiwa.
        long millis = LocalDateTime.of(2019, 4, 30, 15, 30).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertThat(JapaneseDates.stamp(millis)).isEqualTo("2019/05/01（令和元年5月1日） 0:30");
        long jan = LocalDateTime.of(2027, 1, 15, 10, 5).atZone(ZoneId.of("Asia/Tokyo")).toInstant().toEpochMilli();
        assertThat(JapaneseDates.stamp(jan)).isEqualTo("2027/01/15（令和9年1月15日） 10:05");
        assertThat(JapaneseDates.withEra(LocalDate.of(2027, 1, 15))).isEqualTo("2027-01-15（令和9年1月15日）");
    }

    @Test
    void noticesWriteTheWeekdayAndMonthsTheirWesternYear() {
        assertThat(JapaneseDates.date(LocalDate.of(2027, 2, 15))).isEqualTo("令和9年2月15日（月）");
        assertThat(JapaneseDates.month(YearMonth.of(2019, 5))).isEqualTo("令和元年5月（2019年5月）");
    }
}
