package jp.kitamoto.lists.domain;

/** The charset copies leave in: as the author wrote it, or converted for members whose phones need it. */
public enum OutputCharset {
    KEEP, UTF_8, ISO_2022_JP
}
