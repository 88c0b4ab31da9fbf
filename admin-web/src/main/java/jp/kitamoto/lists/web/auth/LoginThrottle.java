package jp.kitamoto.lists.web.auth;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.store.LoginFailureMapper;
import jp.kitamoto.lists.web.store.LoginFailureMapper.Failures;

import java.time.Clock;

/**
 * Slows down password guessing: after {@value #FREE_ATTEMPTS} failures for one user name or one client address, each
 * further attempt is refused until a lock that doubles with every failure (30 s, 1 min, 2 min, ... 1 h) has passed.
 * Kept in the database ({@code web_login_failures}), so that every node behind a load balancer counts the same
 * failures: guessing through several nodes gains nothing, and a restart forgets nothing. A row holds only the count
 * and the time of the last failure; the lock is computed from them, so each failure is one atomic upsert.
 */
public final class LoginThrottle {
    static final int FREE_ATTEMPTS = 5;
    private static final long BASE_LOCK_MS = 30_000;
    private static final long MAX_LOCK_MS = 3_600_000;
    private static final long FORGET_AFTER_MS = 24 * 3_600_000L;

    private final Database db;
    private final Clock clock;

    public LoginThrottle(Database db, Clock clock) {
        db.addMappers(LoginFailureMapper.class);
        this.db = db;
        this.clock = clock;
    }

    /** Whether an attempt for this user from this address may be checked now. */
    public boolean allowed(String username, String clientIp) {
        long now = clock.millis();
        return db.read(s -> {
            LoginFailureMapper m = s.getMapper(LoginFailureMapper.class);
            return lockedUntil(m, "u:" + username, now) <= now && lockedUntil(m, "ip:" + clientIp, now) <= now;
        });
    }

    public void failed(String username, String clientIp) {
        long now = clock.millis();
        db.inTransaction(s -> {
            LoginFailureMapper m = s.getMapper(LoginFailureMapper.class);
            m.countFailure("u:" + username, now, now - FORGET_AFTER_MS);
            m.countFailure("ip:" + clientIp, now, now - FORGET_AFTER_MS);
            // Keeps the table to the last day's failures; an indexed range delete, usually of nothing.
            m.forgetOlderThan(now - FORGET_AFTER_MS);
            return null;
        });
    }

    public void succeeded(String username) {
        db.inTransaction(s -> s.getMapper(LoginFailureMapper.class).forget("u:" + username));
    }

    private static long lockedUntil(LoginFailureMapper m, String key, long now) {
        return m.find(key).map(f -> lockedUntil(f, now)).orElse(0L);
    }

    /** The end of the lock that {@code f} earns; 0 when there is none (too few, or forgotten after a day). */
    static long lockedUntil(Failures f, long now) {
        if (now - f.lastFailureAt() > FORGET_AFTER_MS || f.failures() < FREE_ATTEMPTS) {
            return 0;
        }
        int doublings = Math.min(f.failures() - FREE_ATTEMPTS, 10);
        return f.lastFailureAt() + Math.min(MAX_LOCK_MS, BASE_LOCK_MS << doublings);
    }
}
