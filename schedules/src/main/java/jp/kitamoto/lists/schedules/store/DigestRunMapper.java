package jp.kitamoto.lists.schedules.store;

import jp.kitamoto.lists.domain.DigestCadence;
import org.apache.ibatis.annotations.Param;

import java.util.List;

/**
 * {@code digest_runs} (schedules V203) and the posts a digest holds. A run is claimed by inserting its row (unique per
 * list, cadence and set time) in the transaction that makes the digest, so it can be made only once.
 */
public interface DigestRunMapper {
    /** One made digest. */
    record DigestRun(long id, long listId, DigestCadence cadence, long nominalAt, long fromSequence, long toSequence,
                     int posts, Long postId, int recipients, long createdAt) {
    }

    /** A post a digest holds: its number, its decorated copy as subscribers got it, and when it was accepted. */
    record DigestedPost(long id, long sequence, byte[] prepared, long acceptedAt) {
    }

    /** Claims a run: 1 when inserted, 0 when a run for that set time exists already. */
    int claim(@Param("listId") long listId, @Param("cadence") DigestCadence cadence, @Param("nominalAt") long nominalAt,
              @Param("fromSequence") long fromSequence, @Param("toSequence") long toSequence, @Param("now") long now);

    int recordMade(@Param("listId") long listId, @Param("cadence") DigestCadence cadence,
                   @Param("nominalAt") long nominalAt, @Param("posts") int posts, @Param("postId") Long postId,
                   @Param("recipients") int recipients);

    /** The latest run's set time, or null when there was none. */
    Long selectLastNominal(@Param("listId") long listId, @Param("cadence") DigestCadence cadence);

    /** The highest post number a digest of this list and cadence covered, or null. */
    Long selectCoveredSequence(@Param("listId") long listId, @Param("cadence") DigestCadence cadence);

    List<DigestRun> findByList(@Param("listId") long listId, @Param("limit") int limit);

    /**
     * The list's posts with {@code from < sequence <= to} that went to the list (accepted posts and notices), in
     * their order.
     */
    List<DigestedPost> findPosts(@Param("listId") long listId, @Param("from") long from, @Param("to") long to);
}
