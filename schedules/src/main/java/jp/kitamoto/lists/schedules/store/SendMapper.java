package jp.kitamoto.lists.schedules.store;

import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendHistory;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/**
 * {@code sched_sends}: every state change is a conditional UPDATE on the current state, so two schedulers (or a
 * Quartz trigger and the sweep) can never both act on one send. Each returns the number of rows changed.
 */
public interface SendMapper {
    /**
     * Schedules an occurrence. An existing CANCELLED row for the same nominal time is revived (a paused notice
     * resumed); a row in any other state is left alone, so a sent or missed occurrence never comes back.
     */
    int upsertScheduled(@Param("noticeId") long noticeId, @Param("nominalAt") long nominalAt,
                        @Param("dueAt") long dueAt, @Param("now") long now);

    Optional<ScheduledSend> findByNoticeAndNominal(@Param("noticeId") long noticeId, @Param("nominalAt") long nominalAt);

    Optional<ScheduledSend> findById(@Param("id") long id);

    List<ScheduledSend> findByNotice(@Param("noticeId") long noticeId);

    /** Every SCHEDULED row: the Quartz triggers are rebuilt from these at start-up. */
    List<ScheduledSend> findScheduled();

    /** SCHEDULED rows due at {@code now} or earlier, oldest first. */
    List<ScheduledSend> findDue(@Param("now") long now);

    List<ScheduledSend> findByState(@Param("state") String state);

    /** SCHEDULED rows due after {@code from}, soonest first (the "upcoming sends" page). */
    List<ScheduledSend> findUpcoming(@Param("from") long from, @Param("limit") int limit);

    /** Every send but cancelled ones due in [from, to), soonest first (the calendar page). */
    List<ScheduledSend> findBetween(@Param("from") long from, @Param("to") long to);

    /** The latest nominal time of a notice in any state (a recurring notice continues after it). */
    Long selectLastNominal(@Param("noticeId") long noticeId);

    /**
     * Claims a due send for sending: SCHEDULED → SENDING, only while its notice is ACTIVE. Call inside the
     * transaction that creates the posts, so the claim and the delivery rows commit together.
     */
    int claim(@Param("id") long id, @Param("now") long now);

    int markMissed(@Param("id") long id, @Param("detail") String detail, @Param("now") long now);

    int markFailed(@Param("id") long id, @Param("detail") String detail, @Param("now") long now);

    /** FAILED → SCHEDULED, due now (staff retry; the nominal time stays, so the row stays unique). */
    /** A FAILED or MISSED send back to SCHEDULED, due now (staff send it now). */
    int sendAgain(@Param("id") long id, @Param("detail") String detail, @Param("now") long now);

    int markSent(@Param("id") long id, @Param("now") long now);

    int setRecipients(@Param("id") long id, @Param("recipients") long recipients);

    int markStaffNotified(@Param("id") long id, @Param("now") long now);

    /** SCHEDULED → CANCELLED. */
    int cancel(@Param("id") long id, @Param("detail") String detail, @Param("now") long now);

    int cancelScheduledOfNotice(@Param("noticeId") long noticeId, @Param("detail") String detail,
                                @Param("now") long now);

    /** A SCHEDULED row gets a new time (a call's deadline moved). */
    int move(@Param("id") long id, @Param("nominalAt") long nominalAt, @Param("dueAt") long dueAt,
             @Param("now") long now);

    void insertSendPost(@Param("sendId") long sendId, @Param("listId") long listId, @Param("postId") long postId);

    List<Long> findPostIds(@Param("sendId") long sendId);

    /** Delivery rows of the send's posts still waiting for the delivery workers. */
    long countPendingDeliveries(@Param("sendId") long sendId);

    long countDeliveries(@Param("sendId") long sendId);

    /** Sends that happened or should have (not SCHEDULED/CANCELLED), newest first, with delivery counts. */
    List<SendHistory> findHistory(@Param("noticeId") Long noticeId, @Param("limit") int limit);
}
