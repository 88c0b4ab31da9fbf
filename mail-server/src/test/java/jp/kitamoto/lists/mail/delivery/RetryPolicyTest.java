package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Back-off after temporary failures: doubling from the first delay, capped, until the copy is too old. */
class RetryPolicyTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    /** First retry after a minute, never more than an hour apart, give up after two days. */
    private final RetryPolicy policy = new RetryPolicy(MINUTE, HOUR, 48 * HOUR);

    @ParameterizedTest(name = "after attempt {0}: wait {1} min")
    @CsvSource({
            "0,  1",
            "1,  2",
            "2,  4",
            "5,  32",
            "6,  60",
            "7,  60",
            "30, 60",
            "31, 60",
            "1000, 60",
    })
    void retryShouldWaitTwiceAsLongEachTimeUpToTheMaximum(int attemptsSoFar, long minutes) {
        long createdAt = 1_000_000;
        long now = createdAt + 10 * MINUTE;

        assertThat(policy.nextAttempt(attemptsSoFar, createdAt, now)).isEqualTo(OptionalLong.of(now + minutes * MINUTE));
    }

    @ParameterizedTest(name = "{0} h old: gives up = {1}")
    @CsvSource({"0, false", "47, false", "48, true", "100, true"})
    void copyShouldFailOnceItHasWaitedLongEnough(long hoursOld, boolean givesUp) {
        long createdAt = 5_000_000;
        OptionalLong next = policy.nextAttempt(3, createdAt, createdAt + hoursOld * HOUR);

        assertThat(next.isEmpty()).isEqualTo(givesUp);
    }

    @Test
    void policyShouldBeReadFromTheDeliverySettingsInTheirUnits() {
        RetryPolicy fromSettings = RetryPolicy.from(new Settings.Delivery(4, 500, 30, 900, 72, 1000, 60));

        assertThat(fromSettings).isEqualTo(new RetryPolicy(30_000, 900_000, 72 * HOUR));
    }
}
