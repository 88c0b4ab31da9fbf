package jp.kitamoto.lists.schedules.model;

/** One send with its notice's title and its per-recipient delivery counts, for the history page. */
public record SendHistory(long sendId, long noticeId, String title, long dueAt, SendState state, String detail,
                          long recipients, long delivered, long pending, long failed) {
}
