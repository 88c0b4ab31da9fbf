package jp.kitamoto.lists.domain;

public enum PostState {
    /** Distributed: its delivery rows exist. */
    ACCEPTED,
    /** Waiting for a moderator. */
    HELD,
    /** Kept but never distributed (a loop, or a moderator's decision). */
    DISCARDED,
    /** Refused by a moderator. */
    REJECTED
}
