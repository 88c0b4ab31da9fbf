package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import org.apache.ibatis.annotations.Param;

import java.util.List;

public interface DeliveryMapper {
    /** What a delivery worker needs to send one copy. */
    record DueDelivery(long id, long postId, String recipient, String token, int attempts, long createdAt) {
    }

    record StateCount(DeliveryState state, long count) {
    }

    /**
     * Creates one pending row per active subscriber of the list who takes each post (not paused, and not on the
     * digest while the list offers one), in one statement; the unique key on
     * (post, recipient) makes a second expansion of the same post a no-op instead of a duplicate.
     */
    int expandPost(@Param("postId") long postId, @Param("listId") long listId, @Param("now") long now);

    /**
     * Creates one pending row per subscription that chose the list's digest, is not paused and whose member reads
     * {@code language} ({@code ja} or {@code en}): the copies of a digest message ({@code postId}). Returns how many.
     */
    int expandDigest(@Param("postId") long postId, @Param("listId") long listId, @Param("language") String language,
                     @Param("now") long now);

    int insertDelivery(@Param("postId") long postId, @Param("recipient") String recipient, @Param("token") String token,
                       @Param("now") long now);

    /** Pending rows that are due, in id order after {@code afterId}. */
    List<DueDelivery> findDue(@Param("now") long now, @Param("afterId") long afterId, @Param("limit") int limit);

    /**
     * PostgreSQL (several nodes): claims up to {@code limit} due rows after {@code afterId} that no live node holds,
     * for {@code node} until {@code leaseUntil}, in one statement ({@code FOR UPDATE SKIP LOCKED}: nodes claiming at
     * the same moment take different rows and never wait for each other). Rows come back in no particular order.
     */
    List<DueDelivery> claimDue(@Param("now") long now, @Param("afterId") long afterId, @Param("limit") int limit,
                               @Param("node") String node, @Param("leaseUntil") long leaseUntil);

    /**
     * Extends the claims {@code node} still holds on these rows; rows being written at this moment (their outcome)
     * are skipped rather than waited for. Returns how many were renewed.
     */
    int renewClaims(@Param("ids") java.util.Collection<Long> ids, @Param("node") String node,
                    @Param("leaseUntil") long leaseUntil);

    /** Gives back the claims {@code node} holds on these still pending rows (a node that stops). */
    int releaseClaims(@Param("ids") java.util.Collection<Long> ids, @Param("node") String node);

    /** Recording an outcome ends the row's claim in the same statement (markSent, scheduleRetry, markFailed). */
    int markSent(@Param("id") long id, @Param("reply") String reply, @Param("now") long now);

    int scheduleRetry(@Param("id") long id, @Param("nextAttemptAt") long nextAttemptAt, @Param("reply") String reply,
                      @Param("now") long now);

    int markFailed(@Param("id") long id, @Param("reply") String reply, @Param("now") long now);

    /** Puts failed rows of a post back in the queue (staff re-process them). */
    int requeueFailed(@Param("postId") long postId, @Param("now") long now);

    List<StateCount> countByPost(@Param("postId") long postId);

    /** A reply the smarthost gave to failed copies of a post, and how many got it. */
    record ReplyCount(String reply, long count) {
    }

    /** The replies most failed copies of a post got, most frequent first. */
    List<ReplyCount> commonFailureReplies(@Param("postId") long postId, @Param("limit") int limit);

    List<Delivery> findByPost(@Param("postId") long postId, @Param("offset") int offset, @Param("limit") int limit);

    long countPending();
}
