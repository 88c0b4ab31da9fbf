package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.PostOrigin;

/**
 * The shared part of every copy of one post, made ready for the wire once per post (and cached by the dispatcher):
 * CRLF line ends, and dot-stuffed. A copy is its personal header block ({@link CopyHeaders}) written in front of
 * {@link #wire()}; nothing of the body is copied per recipient.
 */
public final class PreparedPost {
    private final long postId;
    private final ListAddresses addresses;
    private final PostOrigin origin;
    private final byte[] canonical;
    private final byte[] wire;
    private final boolean eightBit;

    PreparedPost(long postId, ListAddresses addresses, PostOrigin origin, byte[] decorated) {
        this.postId = postId;
        this.addresses = addresses;
        this.origin = origin;
        this.canonical = WireBytes.crlf(decorated);
        this.wire = WireBytes.dotStuff(canonical);
        boolean high = false;
        for (byte b : canonical) {
            if (b < 0) {
                high = true;
                break;
            }
        }
        this.eightBit = high;
    }

    public long postId() {
        return postId;
    }

    public ListAddresses addresses() {
        return addresses;
    }

    public PostOrigin origin() {
        return origin;
    }

    /**
     * The shared bytes as the recipient will read them (CRLF, not dot-stuffed): what a signer hashes together with
     * the personal header block. Do not modify.
     */
    public byte[] canonical() {
        return canonical;
    }

    /** The heap its bytes take (the dot-stuffed form is the canonical one when no line starts with a dot). */
    long heapBytes() {
        return canonical.length + (wire == canonical ? 0 : (long) wire.length);
    }

    /** {@link #canonical()} dot-stuffed, as written after DATA. */
    byte[] wire() {
        return wire;
    }

    /** Whether the shared bytes hold 8-bit octets (then MAIL says BODY=8BITMIME where the smarthost offers it). */
    boolean eightBit() {
        return eightBit;
    }
}
