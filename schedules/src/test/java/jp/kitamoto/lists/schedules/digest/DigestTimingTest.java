package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import jp.kitamoto.lists.domain.JapanTime;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class DigestTimingTest {
    static Instant jst(int m, int d, int h, int min) {
        return LocalDateTime.of(2027, m, d, h, min).atZone(JapanTime.ZONE).toInstant();
    }

    static final long SAVED = jst(1, 1, 0, 0).toEpochMilli();
    static final DigestSchedule DAILY = new DigestSchedule(1, DigestCadence.DAILY, "18:00", null, 0, SAVED);
    /** Wednesdays at 7:30 (ISO 3). */
    static final DigestSchedule WEEKLY = new DigestSchedule(1, DigestCadence.WEEKLY, "07:30", 3, 0, SAVED);

    @Test
    void aDailyDigestIsDueAtItsTimeInJapanEveryDay() {
        assertThat(DigestTiming.latestAtOrBefore(DAILY, jst(1, 15, 18, 0))).isEqualTo(jst(1, 15, 18, 0));
        assertThat(DigestTiming.latestAtOrBefore(DAILY, jst(1, 15, 17, 59))).isEqualTo(jst(1, 14, 18, 0));
        assertThat(DigestTiming.nextAfter(DAILY, jst(1, 15, 18, 0))).isEqualTo(jst(1, 16, 18, 0));
        // 18:00 in Japan is 09:00 UTC: the date is Japan's, not UTC's.
        assertThat(DigestTiming.latestAtOrBefore(DAILY, jst(1, 16, 2, 0))).isEqualTo(jst(1, 15, 18, 0));
    }

    @Test
    void aWeeklyDigestIsDueOnItsWeekdayOnly() {
        // 2027-01-20 is a Wednesday.
        assertThat(DigestTiming.latestAtOrBefore(WEEKLY, jst(1, 20, 7, 30))).isEqualTo(jst(1, 20, 7, 30));
        assertThat(DigestTiming.latestAtOrBefore(WEEKLY, jst(1, 20, 7, 29))).isEqualTo(jst(1, 13, 7, 30));
        assertThat(DigestTiming.latestAtOrBefore(WEEKLY, jst(1, 19, 23, 0))).isEqualTo(jst(1, 13, 7, 30));
        assertThat(DigestTiming.nextAfter(WEEKLY, jst(1, 15, 12, 0))).isEqualTo(jst(1, 20, 7, 30));
        assertThat(DigestTiming.nextAfter(WEEKLY, jst(1, 20, 7, 30))).isEqualTo(jst(1, 27, 7, 30));
    }

    @Test
    void owedOnceForTheLatestSetTimeNotBeforeTheSettingWasSaved() {
        assertThat(DigestTiming.owed(DAILY, jst(1, 15, 18, 0), null)).contains(jst(1, 15, 18, 0));
        assertThat(DigestTiming.owed(DAILY, jst(1, 15, 18, 0), jst(1, 15, 18, 0).toEpochMilli())).isEmpty();
        // Down from the 15th to the 18th at 8:00: one digest, for the 17th's set time.
        assertThat(DigestTiming.owed(DAILY, jst(1, 18, 8, 0), jst(1, 14, 18, 0).toEpochMilli()))
                .contains(jst(1, 17, 18, 0));
        // Saved at 10:00 on the 15th: the 15th's 7:00 is not owed.
        DigestSchedule savedLate = new DigestSchedule(1, DigestCadence.DAILY, "07:00", null, 0,
                jst(1, 15, 10, 0).toEpochMilli());
        assertThat(DigestTiming.owed(savedLate, jst(1, 15, 12, 0), null)).isEmpty();
        assertThat(DigestTiming.owed(savedLate, jst(1, 16, 7, 0), null)).contains(jst(1, 16, 7, 0));
    }
}
