package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.text.Texts;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A notice's repeat rule on its page: in Japanese exactly as the model describes it, and in English. */
class ScheduleDescriptionTest {
    private static final Texts EN = Texts.of(Texts.ENGLISH);

    @Test
    void japaneseRulesReadAsTheModelsDescriptionAndEnglishOnesAsEnglish() {
        List<Recurrence> rules = List.of(new Recurrence.MonthlyDay(1, LocalTime.of(9, 0)),
                new Recurrence.MonthlyDay(31, LocalTime.of(17, 5)),
                new Recurrence.MonthlyNthWeekday(2, DayOfWeek.TUESDAY, LocalTime.of(0, 0)),
                new Recurrence.MonthlyNthWeekday(-1, DayOfWeek.FRIDAY, LocalTime.of(18, 30)),
                new Recurrence.Weekly(DayOfWeek.SUNDAY, LocalTime.of(7, 45)));
        for (Recurrence r : rules) {
            assertThat(ScheduleDescription.rule(r, Texts.japanese())).isEqualTo(r.describeJa());
        }
        assertThat(rules.stream().map(r -> ScheduleDescription.rule(r, EN)).toList()).containsExactly(
                "Monthly on day 1 at 9:00", "Monthly on day 31 at 17:05", "Monthly on the second Tuesday at 0:00",
                "Monthly on the last Friday at 18:30", "Every Sunday at 7:45");
    }
}
