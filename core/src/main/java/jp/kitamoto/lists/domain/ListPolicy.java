package jp.kitamoto.lists.domain;

/** Who may post to a list without moderation: the list's "style" in Mailman terms. */
public enum ListPolicy {
    /** Subscribers post freely; anybody else is held for moderation. */
    DISCUSSION,
    /** Only the list's owners post; anybody else is held (announce-only lists such as the fair). */
    ANNOUNCE,
    /** Every post is held for a moderator, subscribers' included. */
    MODERATED
}
