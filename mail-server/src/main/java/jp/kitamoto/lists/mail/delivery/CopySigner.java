package jp.kitamoto.lists.mail.delivery;

/**
 * Adds header fields over a copy's final bytes (DKIM): it sees exactly what the recipient reads, the personal fields
 * written in front of the post's shared bytes ({@link PreparedPost#canonical()}: CRLF, not dot-stuffed). Plugged in
 * through {@link CopyHeaders#signed}, on the dispatcher thread before the copy is queued.
 */
@FunctionalInterface
public interface CopySigner {
    /** Sends copies as they are. */
    CopySigner NONE = (postId, personal, shared) -> personal;

    /**
     * The header block to write in front of {@code shared}: {@code personal}, with what this signer adds in front.
     * {@code postId} names the shared bytes, so that work on them can be done once per post.
     */
    byte[] sign(long postId, byte[] personal, byte[] shared);
}
