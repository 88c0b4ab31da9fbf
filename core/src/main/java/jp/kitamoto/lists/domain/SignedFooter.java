package jp.kitamoto.lists.domain;

/** What to do with the footer on multipart/signed posts, whose signed part must never change. */
public enum SignedFooter {
    OMIT, SEPARATE_PART
}
