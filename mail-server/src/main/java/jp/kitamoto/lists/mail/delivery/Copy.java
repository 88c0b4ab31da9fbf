package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;

/**
 * One attempt at one copy, as a connection sends it: envelope, personal header bytes (already on the wire form) and
 * the post's shared bytes. Owned by one connection at a time (handed over through concurrent queues); the mutable
 * fields are that connection's bookkeeping for the transaction.
 */
final class Copy {
    final DueDelivery row;
    final PreparedPost post;
    final String envelopeFrom;
    final String recipient;
    /** The personal header block on the wire after DATA (dot-stuffed). */
    final byte[] headers;
    /** The same block as the recipient reads it (CRLF, not stuffed): what BDAT sends. Usually the same array. */
    final byte[] plainHeaders;
    /** Handed back once already after a connection died with its outcome unknown; next time it is a 4xx. */
    boolean handedBack;
    /** An answer decided this attempt's outcome (and it was reported); later replies of the transaction are noise. */
    boolean decided;
    /** The smarthost answered 354 to DATA: the content may follow. */
    boolean dataAccepted;
    /**
     * With CHUNKING: the smarthost answered 503 (bad sequence) in this copy's transaction, i.e. it still held the
     * state of a refused transaction before it. Not the recipient's fault: the copy is sent again.
     */
    boolean outOfSequence;

    Copy(DueDelivery row, PreparedPost post, String envelopeFrom, String recipient, byte[] headers) {
        this.row = row;
        this.post = post;
        this.envelopeFrom = envelopeFrom;
        this.recipient = recipient;
        this.plainHeaders = WireBytes.crlf(headers);
        this.headers = WireBytes.dotStuff(plainHeaders); // the same array when no line starts with a dot
    }

    /** RFC 1870 message size: the octets the recipient gets. */
    long size() {
        return plainHeaders.length + post.canonical().length;
    }

    void newAttempt() {
        decided = false;
        dataAccepted = false;
        outOfSequence = false;
    }
}
