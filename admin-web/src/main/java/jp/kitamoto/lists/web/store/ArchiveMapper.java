package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/** Distributed posts of a list, for the archive and the staff post pages. */
public interface ArchiveMapper {
    record PostSummary(long id, Long sequence, String sender, String subject, String state, String origin,
                       String reasons, long receivedAt) {
    }

    record MonthCount(long firstAt, long count) {
    }

    /** Archived (accepted, list-wide) posts received in [from, to), oldest first, without bytes. */
    List<PostSummary> findArchived(@Param("listId") long listId, @Param("from") long from, @Param("to") long to,
                                   @Param("limit") int limit);

    /** The receive times of every archived post (for the month index); small: 8 bytes per post. */
    List<Long> findArchivedTimes(@Param("listId") long listId);

    Optional<Long> findArchivedIdBySequence(@Param("listId") long listId, @Param("sequence") long sequence);

    /** Newest posts of a list in any state, for the staff post overview. */
    List<PostSummary> findRecent(@Param("listId") long listId, @Param("state") String state,
                                 @Param("limit") int limit);
}
