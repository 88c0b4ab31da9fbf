package jp.kitamoto.lists.domain;

public enum SubscriptionState {
    /** Receives every post. */
    ACTIVE,
    /** Asked to join; waits for the confirmation (double opt-in). */
    PENDING,
    /** Still a member (may post) but receives nothing: delivery suspended by staff or by bounces. */
    SUSPENDED,
    UNSUBSCRIBED
}
