package jp.kitamoto.lists.web.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API token: {@code ratePerSecond} requests a second on average, bursts of up to {@code burst}.
 * In memory: it protects this process (one SQLite writer, a mail server beside the API) from a runaway script, not
 * a cluster; a restart refills every bucket, which is harmless.
 */
final class RateLimiter {
    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(double ratePerSecond, int burst, LongSupplier nanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanos = nanos;
    }

    /** Takes one request from this token's bucket; false when it is empty (answer 429). */
    boolean tryAcquire(long tokenId) {
        return buckets.computeIfAbsent(tokenId, id -> new Bucket(burst, nanos.getAsLong())).take();
    }

    private final class Bucket {
        private double available;
        private long last;

        Bucket(double available, long now) {
            this.available = available;
            this.last = now;
        }

        synchronized boolean take() {
            long now = nanos.getAsLong();
            available = Math.min(burst, available + (now - last) / 1e9 * ratePerSecond);
            last = now;
            if (available >= 1) {
                available -= 1;
                return true;
            }
            return false;
        }
    }
}
