package jp.kitamoto.lists.web.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@value #FREE_ATTEMPTS} failures for one user name or one client address, each
 * further attempt is refused until a lock that doubles with every failure (30 s, 1 min, 2 min, ... 1 h) has passed.
 * Kept in memory: a restart forgets it, which is acceptable for a lock measured in minutes.
 */
public final class LoginThrottle {
    static final int FREE_ATTEMPTS = 5;
    private static final long BASE_LOCK_MS = 30_000;
    private static final long MAX_LOCK_MS = 3_600_000;
    private static final long FORGET_AFTER_MS = 24 * 3_600_000L;

    private record Failures(int count, long lastAt, long lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Whether an attempt for this user from this address may be checked now. */
    public boolean allowed(String username, String clientIp) {
        long now = clock.millis();
        return lockedUntil("u:" + username, now) <= now && lockedUntil("ip:" + clientIp, now) <= now;
    }

    public void failed(String username, String clientIp) {
        long now = clock.millis();
        bump("u:" + username, now);
        bump("ip:" + clientIp, now);
    }

    public void succeeded(String username) {
        failures.remove("u:" + username);
    }

    private long lockedUntil(String key, long now) {
        Failures f = failures.get(key);
        if (f == null) {
            return 0;
        }
        if (now - f.lastAt() > FORGET_AFTER_MS) {
            failures.remove(key);
            return 0;
        }
        return f.lockedUntil();
    }

    private void bump(String key, long now) {
        failures.compute(key, (k, f) -> {
            int count = (f == null || now - f.lastAt() > FORGET_AFTER_MS) ? 1 : f.count() + 1;
            long lock = 0;
            if (count >= FREE_ATTEMPTS) {
                int doublings = Math.min(count - FREE_ATTEMPTS, 10);
                lock = now + Math.min(MAX_LOCK_MS, BASE_LOCK_MS << doublings);
            }
            return new Failures(count, now, lock);
        });
    }
}
