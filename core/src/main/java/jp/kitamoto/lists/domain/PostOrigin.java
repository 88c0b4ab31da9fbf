package jp.kitamoto.lists.domain;

public enum PostOrigin {
    /** Posted by e-mail. */
    SMTP,
    /** A notice written by staff (schedules). */
    NOTICE,
    /** Mail to list-owner@, passed on to the owners. */
    OWNER_FORWARD,
    /** Mail the server writes to one person (confirmation, rejection notice): never decorated or archived. */
    SYSTEM
}
