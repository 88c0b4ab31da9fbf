package jp.kitamoto.lists.schedules.model;

/** One occurrence of a notice (a row of {@code sched_sends}): the truth that makes it go out at most once. */
public record ScheduledSend(long id, long noticeId, long nominalAt, long dueAt, SendState state, long recipients,
                            String detail, String staffNotified, Long claimedAt, Long finishedAt, long createdAt,
                            long updatedAt) {
}
