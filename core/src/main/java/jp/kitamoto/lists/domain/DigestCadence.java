package jp.kitamoto.lists.domain;

/** How often a list's digest goes out: every day, or once a week on a set weekday. */
public enum DigestCadence {
    DAILY, WEEKLY
}
