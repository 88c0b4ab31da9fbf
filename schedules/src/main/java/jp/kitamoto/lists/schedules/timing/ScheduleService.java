package jp.kitamoto.lists.schedules.timing;

import jp.kitamoto.lists.domain.JapanTime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Computes when sends happen: the occurrences of recurring rules in Japan time ({@link JapanTime#ZONE}) with the
 * holiday calendar and send window applied, the times of a call's reminders, and whether a send is still within its
 * grace period. Pure: no database, no Quartz; time comes from the injected clock.
 *
 * <p>A day is <em>blocked</em> when it is outside the window's days (WEEKDAYS: Saturday, Sunday and holidays) or,
 * with a policy other than {@link HolidayPolicy#SEND}, a public holiday. A blocked occurrence is skipped
 * ({@link HolidayPolicy#SKIP}) or moved to the next business day ({@link HolidayPolicy#SHIFT_NEXT_BUSINESS_DAY}
 * and, for a WEEKDAYS window, also {@link HolidayPolicy#SEND}: the window's days are a hard limit). A time before the
 * window's start moves to the start; a time at or after its end counts as a blocked day.
 */
public final class ScheduleService {
    /** Enough for any monthly rule with long holiday runs; a rule that finds nothing in this many tries has none. */
    private static final int MAX_TRIES = 60;

    private final Clock clock;
    private final HolidayCalendar holidays;

    public ScheduleService(Clock clock, HolidayCalendar holidays) {
        this.clock = clock;
        this.holidays = holidays;
    }

    /** A nominal time of a rule and the time it actually goes out. */
    public record Occurrence(Instant nominal, Instant due) {
    }

    public Instant now() {
        return clock.instant();
    }

    public HolidayCalendar holidays() {
        return holidays;
    }

    public static LocalDateTime local(Instant t) {
        return LocalDateTime.ofInstant(t, JapanTime.ZONE);
    }

    public static Instant instant(LocalDateTime t) {
        return t.atZone(JapanTime.ZONE).toInstant();
    }

    /**
     * The first occurrence whose nominal time is strictly after {@code afterNominal} and whose send time is not
     * after {@code endsAt} (null: open-ended); empty when there is none.
     */
    public Optional<Occurrence> next(Recurrence rule, Instant afterNominal, SendWindow window, HolidayPolicy policy,
                                     Instant endsAt) {
        LocalDateTime cursor = local(afterNominal);
        for (int i = 0; i < MAX_TRIES; i++) {
            LocalDateTime nominal = rule.nextAfter(cursor);
            cursor = nominal;
            if (endsAt != null && instant(nominal).isAfter(endsAt)) {
                return Optional.empty();
            }
            Optional<Instant> due = adjust(nominal, window, policy);
            if (due.isPresent() && (endsAt == null || !due.get().isAfter(endsAt))) {
                return Optional.of(new Occurrence(instant(nominal), due.get()));
            }
        }
        return Optional.empty();
    }

    /** When a nominal time goes out under the window and holiday policy; empty if it is skipped. */
    public Optional<Instant> adjust(LocalDateTime nominal, SendWindow window, HolidayPolicy policy) {
        LocalDate day = nominal.toLocalDate();
        LocalTime time = nominal.toLocalTime();
        boolean blocked = isBlocked(day, window, policy);
        if (window.hasHours()) {
            if (time.isBefore(window.start())) {
                time = window.start();
            } else if (!time.isBefore(window.end())) {
                blocked = true;
            }
        }
        if (!blocked) {
            return Optional.of(instant(day.atTime(time)));
        }
        if (policy == HolidayPolicy.SKIP) {
            return Optional.empty();
        }
        LocalDate next = day.plusDays(1);
        for (int i = 0; i < MAX_TRIES && !(holidays.isBusinessDay(next) && !isBlocked(next, window, policy)); i++) {
            next = next.plusDays(1);
        }
        return Optional.of(instant(next.atTime(window.hasHours() ? window.start() : nominal.toLocalTime())));
    }

    private boolean isBlocked(LocalDate day, SendWindow window, HolidayPolicy policy) {
        if (window.days() == WindowDays.WEEKDAYS && !holidays.isBusinessDay(day)) {
            return true;
        }
        return policy != HolidayPolicy.SEND && holidays.isHoliday(day);
    }

    /** A call's reminder: {@code offsetDays} calendar days before the deadline's date, at {@code at} (Tokyo). */
    public Instant reminderAt(Instant deadline, int offsetDays, LocalTime at) {
        return instant(local(deadline).toLocalDate().minusDays(offsetDays).atTime(at));
    }

    /** True once {@code due} is more than {@code grace} in the past: the send is missed, never sent late. */
    public boolean isPastGrace(Instant due, Duration grace) {
        return now().isAfter(due.plus(grace));
    }

    /** Whole calendar days from today (Tokyo) to the deadline's date. */
    public long daysUntil(Instant deadline) {
        return ChronoUnit.DAYS.between(local(now()).toLocalDate(), local(deadline).toLocalDate());
    }
}
