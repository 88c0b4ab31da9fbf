package jp.kitamoto.lists.mail.delivery;

/**
 * Told, after the outcomes are recorded, that copies of a post failed for good (a 5xx, or retries given up), so that
 * someone can look at the post as a whole. Called off the I/O thread, at most once per post per group of outcomes.
 */
@FunctionalInterface
public interface FailureListener {
    FailureListener NONE = postId -> {
    };

    void copiesFailed(long postId);
}
