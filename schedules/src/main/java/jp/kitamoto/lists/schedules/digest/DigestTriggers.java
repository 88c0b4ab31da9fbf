package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.DigestCadence;

import java.util.List;

/**
 * Where {@link DigestService} tells the scheduler when each digest is next due. The tables stay the truth: a lost
 * call is repaired by the sweep (every minute) and by the rebuild at start-up.
 */
public interface DigestTriggers {
    DigestTriggers NONE = plans -> {
    };

    /** When a digest is next due: at {@code dueAt} (epoch millis; in the past means now). */
    record Plan(long listId, DigestCadence cadence, long dueAt) {
    }

    /** The whole plan: every digest offered now; a trigger whose digest is not in it is withdrawn. */
    void plan(List<Plan> plans);
}
