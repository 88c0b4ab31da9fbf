package jp.kitamoto.lists.domain;

public record Subscription(long id, long listId, long memberId, SubscriptionState state, String token,
                           int bounceScore, long createdAt, long updatedAt) {
}
