package jp.kitamoto.lists.app.monitoring;

import jp.kitamoto.lists.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queue and activity counts the gauges show, read from the database (the database is the queue, so its rows
 * are the truth; counters inside the delivery engine would be lost at every restart and double as it is rewritten).
 * One snapshot serves every gauge of a scrape and is re-read at most every {@link #MAX_AGE_MILLIS}, so that a
 * scrape every few seconds, or several scrapers, cost a handful of indexed COUNTs, not one per meter.
 */
public final class DatabaseReadings {
    private static final Logger log = LoggerFactory.getLogger(DatabaseReadings.class);
    static final long MAX_AGE_MILLIS = 5_000;

    /** One reading; ages in seconds, -1 when nothing is pending. */
    public record Snapshot(Map<String, Long> posts, Map<String, Long> deliveries, long deferred,
                           long oldestPendingAgeSeconds, long bouncesReceived, long suspendedByBounces,
                           Map<String, Long> scheduledSends) {
        long post(String state) {
            return posts.getOrDefault(state, 0L);
        }

        long delivery(String state) {
            return deliveries.getOrDefault(state, 0L);
        }

        long scheduled(String state) {
            return scheduledSends.getOrDefault(state, 0L);
        }
    }

    private static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0, -1, 0, 0, Map.of());

    private final Database db;
    private final Clock clock;
    private Snapshot last = EMPTY;
    private long readAt = Long.MIN_VALUE;

    public DatabaseReadings(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        db.addMappers(MonitoringMapper.class);
    }

    /** The cached snapshot, re-read when older than a few seconds; on a database error the last one stays. */
    public synchronized Snapshot now() {
        long t = System.nanoTime() / 1_000_000;
        if (readAt != Long.MIN_VALUE && t - readAt < MAX_AGE_MILLIS) {
            return last;
        }
        try {
            last = read();
        } catch (RuntimeException e) {
            // A scrape must not fail because the database is busy; /health/ready reports the database itself.
            log.warn("metrics: cannot read the queue counts: {}", e.toString());
        }
        readAt = t;
        return last;
    }

    /** Forgets the cached reading (tests, and after a change an operator wants to see at once). */
    public synchronized void invalidate() {
        readAt = Long.MIN_VALUE;
    }

    private Snapshot read() {
        return db.read(s -> {
            MonitoringMapper m = s.getMapper(MonitoringMapper.class);
            Long oldest = m.oldestPendingCreatedAt();
            return new Snapshot(byState(m.postsByState()), byState(m.deliveriesByState()), m.deferredDeliveries(),
                    oldest == null ? -1 : Math.max(0, (clock.millis() - oldest) / 1000), m.bouncesReceived(),
                    m.suspendedByBounces(), byState(m.scheduledSendsByState()));
        });
    }

    private static Map<String, Long> byState(List<Map<String, Object>> rows) {
        Map<String, Long> out = new HashMap<>();
        for (Map<String, Object> row : rows) {
            Object state = value(row, "state");
            Object n = value(row, "n");
            if (state != null && n instanceof Number num) {
                out.put(state.toString().toUpperCase(Locale.ROOT), num.longValue());
            }
        }
        return out;
    }

    private static Object value(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v != null ? v : row.get(key.toUpperCase(Locale.ROOT));
    }
}
