package jp.kitamoto.lists.mail.dmarc;

/** What an author's domain asks receivers to do with mail that fails DMARC (RFC 7489 section 6.3, p= and sp=). */
public enum DmarcPolicy {
    REJECT,
    QUARANTINE,
    NONE,
    /** No DMARC record for the domain or its organisational domain. */
    NO_RECORD,
    /** The DNS could not answer (SERVFAIL, timeout): we cannot know, so we assume the strict case. */
    UNKNOWN;

    /** Whether a list copy in the author's name would be refused or junked, so From must be the list's. */
    public boolean needsFromRewrite() {
        return this == REJECT || this == QUARANTINE || this == UNKNOWN;
    }
}
