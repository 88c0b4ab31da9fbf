package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import jp.kitamoto.lists.domain.JapanTime;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * When a digest is due, in Japan time: a daily digest at its time every day, a weekly one at its time on its
 * weekday. Pure (no clock of its own), so that every rule is a plain test. Holidays do not move digests.
 */
public final class DigestTiming {
    private DigestTiming() {
    }

    /** The latest set time at or before {@code now}. */
    public static Instant latestAtOrBefore(DigestSchedule d, Instant now) {
        ZonedDateTime local = now.atZone(JapanTime.ZONE);
        LocalDate day = local.toLocalDate();
        if (d.cadence() == DigestCadence.WEEKLY) {
            day = day.with(TemporalAdjusters.previousOrSame(d.day()));
        }
        Instant candidate = day.atTime(d.time()).atZone(JapanTime.ZONE).toInstant();
        if (candidate.isAfter(now)) {
            candidate = day.minusDays(d.cadence() == DigestCadence.WEEKLY ? 7 : 1).atTime(d.time())
                    .atZone(JapanTime.ZONE).toInstant();
        }
        return candidate;
    }

    /** The first set time after {@code now}. */
    public static Instant nextAfter(DigestSchedule d, Instant now) {
        Instant latest = latestAtOrBefore(d, now);
        return latest.atZone(JapanTime.ZONE).plusDays(d.cadence() == DigestCadence.WEEKLY ? 7 : 1).toInstant();
    }

    /**
     * The set time a digest should be made for now, if one is owed: the latest set time at or before {@code now},
     * when it is not before the setting was saved and no digest was made for it or a later one ({@code lastMade}:
     * the latest set time a digest was made for, or null). After downtime that spanned several set times this is
     * only the latest of them: one digest then covers them all.
     */
    public static Optional<Instant> owed(DigestSchedule d, Instant now, Long lastMade) {
        Instant latest = latestAtOrBefore(d, now);
        if (latest.toEpochMilli() < d.scheduleFrom()) {
            return Optional.empty();
        }
        if (lastMade != null && lastMade >= latest.toEpochMilli()) {
            return Optional.empty();
        }
        return Optional.of(latest);
    }
}
