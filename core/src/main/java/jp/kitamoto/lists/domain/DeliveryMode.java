package jp.kitamoto.lists.domain;

/** How a member receives a list's posts ({@code subscriptions.delivery_mode}, V006). */
public enum DeliveryMode {
    /** A copy of every post as it arrives (the default). */
    EACH,
    /** No copy per post; the list's digests instead (sent by the digest service). */
    DIGEST
}
