package jp.kitamoto.lists.service;

import java.util.Optional;

/** Decisions on held posts, taken by a moderator in admin-web. Implemented in mail-server. */
public interface Moderation {

    /** Distributes a held post as if it had been accepted on arrival. Returns false if it was not held. */
    boolean approve(long postId, String actor);

    /** Refuses a held post; with a reason, the sender is told by mail. Returns false if it was not held. */
    boolean reject(long postId, Optional<String> reasonForSender, String actor);

    /** Drops a held post silently (spam); it stays stored. Returns false if it was not held. */
    boolean discard(long postId, String actor);

    /**
     * Sends the copies of a post that failed for good once more (after the cause was fixed: a smarthost setting, a
     * mistyped address). Returns how many copies were queued again.
     */
    int resendFailed(long postId, String actor);
}
