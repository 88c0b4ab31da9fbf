package jp.kitamoto.lists.domain;

public enum PostOrigin {
    /** Posted by e-mail. */
    SMTP,
    /** A notice written by staff (schedules). */
    NOTICE,
    /** Mail to list-owner@, passed on to the owners. */
    OWNER_FORWARD,
    /**
     * A digest (#12): one message holding a list's posts since the previous digest, to the members who chose it.
     * Never numbered, decorated again or archived (the posts inside it are archived on their own).
     */
    DIGEST,
    /** Mail the server writes to one person (confirmation, rejection notice): never decorated or archived. */
    SYSTEM
}
