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
    final byte[] headers;
    /** Handed back once already after a connection died with its outcome unknown; next time it is a 4xx. */
    boolean handedBack;
    /** An answer decided this attempt's outcome (and it was reported); later replies of the transaction are noise. */
    boolean decided;
    /** The smarthost answered 354 to DATA: the content may follow. */
    boolean dataAccepted;

    Copy(DueDelivery row, PreparedPost post, String envelopeFrom, String recipient, byte[] headers) {
        this.row = row;
        this.post = post;
        this.envelopeFrom = envelopeFrom;
        this.recipient = recipient;
        this.headers = WireBytes.dotStuff(WireBytes.crlf(headers));
    }

    /** RFC 1870 message size: the octets the recipient gets. */
    long size() {
        return headers.length + post.canonical().length;
    }

    void newAttempt() {
        decided = false;
        dataAccepted = false;
    }
}
