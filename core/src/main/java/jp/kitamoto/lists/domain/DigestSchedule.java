package jp.kitamoto.lists.domain;

import java.time.DayOfWeek;
import java.time.LocalTime;

/**
 * One digest a list offers (a row of {@code list_digests}): its cadence, the time of day in Japan time, and for a
 * weekly digest the weekday.
 *
 * @param sendTime      {@code HH:mm}, Japan time
 * @param weekday       ISO day of the week (1 = Monday) for {@link DigestCadence#WEEKLY}; null for daily
 * @param sinceSequence the list's last post number when the digest was turned on: the first digest starts after it
 * @param scheduleFrom  when the setting was saved (epoch millis): set times before it are never due
 */
public record DigestSchedule(long listId, DigestCadence cadence, String sendTime, Integer weekday, long sinceSequence,
                             long scheduleFrom) {

    public LocalTime time() {
        return LocalTime.parse(sendTime);
    }

    /** The weekday of a weekly digest; null for a daily one. */
    public DayOfWeek day() {
        return weekday == null ? null : DayOfWeek.of(weekday);
    }
}
