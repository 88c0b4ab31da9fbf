package jp.kitamoto.lists.web.dashboard;

import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.store.DeliveryActivityMapper;
import jp.kitamoto.lists.web.store.DeliveryActivityMapper.HourCount;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's figure (issue #10): copies sent in each of the last 24 hours (the current hour, so far, last) and
 * the copies pending now, read from the deliveries table like the metrics, so it survives restarts and counts what
 * every node sent.
 */
public final class DeliveryActivity {
    public static final int HOURS = 24;
    private static final long HOUR_MILLIS = 3_600_000L;

    private final Database db;
    private final Clock clock;

    public DeliveryActivity(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        db.addMappers(DeliveryActivityMapper.class);
    }

    /** One hour of the figure: its start (Japan time) and the copies sent in it. */
    public record Hour(ZonedDateTime start, long copies) {
    }

    /** The last {@value #HOURS} hours, oldest first, every hour present (0 when nothing was sent), and pending now. */
    /**
     * @param refusedBySmarthost copies waiting because the smarthost refused most copies (its circuit breaker, on any
     *                           node), with the latest reply (addresses masked); 0 copies when none
     */
    public record Figures(List<Hour> hours, long pending, DeliveryActivityMapper.Deferred refusedBySmarthost) {
        public long total() {
            return hours.stream().mapToLong(Hour::copies).sum();
        }

        public long max() {
            return hours.stream().mapToLong(Hour::copies).max().orElse(0);
        }
    }

    public Figures lastDay() {
        long currentHour = Math.floorDiv(clock.millis(), HOUR_MILLIS);
        long firstHour = currentHour - (HOURS - 1);
        return db.read(s -> {
            DeliveryActivityMapper m = s.getMapper(DeliveryActivityMapper.class);
            Map<Long, Long> sent = new HashMap<>();
            for (HourCount c : m.sentPerHourSince(firstHour * HOUR_MILLIS)) {
                sent.merge(c.hour(), c.copies(), Long::sum);
            }
            List<Hour> hours = new ArrayList<>(HOURS);
            for (long h = firstHour; h <= currentHour; h++) {
                hours.add(new Hour(Instant.ofEpochMilli(h * HOUR_MILLIS).atZone(JapanTime.ZONE),
                        sent.getOrDefault(h, 0L)));
            }
            return new Figures(List.copyOf(hours), m.pending(), m.deferredBySmarthost());
        });
    }
}
