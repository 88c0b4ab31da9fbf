package jp.kitamoto.lists.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that ticks with the wall clock from an instant the test chooses, and that the test can move (days between
 * bounces, token expiry, a schedule's send time). Ticking (instead of standing still) lets a Quartz trigger set a
 * few hundred ms ahead find its send due when it fires.
 */
public final class MovableClock extends Clock {
    private volatile long offsetMillis;

    /** Starts at the real time. */
    public MovableClock() {
        this(Instant.now());
    }

    public MovableClock(Instant start) {
        set(start);
    }

    public void set(Instant t) {
        offsetMillis = t.toEpochMilli() - System.currentTimeMillis();
    }

    public void advance(Duration d) {
        offsetMillis += d.toMillis();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
