package jp.kitamoto.lists.domain;

/** One copy of one post for one recipient. Its state is the truth; the workers only follow it. */
public record Delivery(long id, long postId, String recipient, String token, DeliveryState state, int attempts,
                       long nextAttemptAt, String lastReply, long createdAt, long updatedAt) {
}
