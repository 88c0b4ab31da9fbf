package jp.kitamoto.lists.domain;

/**
 * When a list writes its own address into the From of a copy (DMARC mitigation, as Mailman does): the author's
 * domain may forbid others to send in its name (DMARC p=reject or p=quarantine), and our copies, changed by the
 * list, no longer carry the author's valid DKIM signature.
 */
public enum FromRewrite {
    /**
     * Every copy (the default): Japanese carriers (docomo, au, SoftBank) filter on the header From's domain
     * whatever its DMARC record says, and a member's filter "accept from the list" works only if From is the list.
     */
    ALWAYS,
    /** Only when the author's domain publishes p=quarantine or p=reject (or its DNS cannot be read). */
    DMARC,
    /** Never: the From stays the author's (copies from p=reject domains will be refused by many receivers). */
    NEVER
}
