package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.config.Settings;

import java.util.OptionalLong;

/**
 * Exponential back-off for temporary failures: the first retry after {@code initial}, doubling up to {@code max},
 * until the copy is older than {@code giveUpAfter}; then it fails (and stays visible, re-queueable by staff).
 */
public record RetryPolicy(long initialMillis, long maxMillis, long giveUpAfterMillis) {

    public static RetryPolicy from(Settings.Delivery d) {
        return new RetryPolicy(d.retryInitialSeconds() * 1000L, d.retryMaxSeconds() * 1000L,
                d.giveUpAfterHours() * 3_600_000L);
    }

    /**
     * When to try again after the attempt numbered {@code attemptsSoFar} (0 for the first) failed temporarily,
     * or empty if the copy has waited long enough and should fail.
     */
    public OptionalLong nextAttempt(int attemptsSoFar, long createdAt, long now) {
        if (now - createdAt >= giveUpAfterMillis) {
            return OptionalLong.empty();
        }
        long delay = initialMillis << Math.min(attemptsSoFar, 30);
        if (delay <= 0 || delay > maxMillis) {
            delay = maxMillis;
        }
        return OptionalLong.of(now + delay);
    }
}
