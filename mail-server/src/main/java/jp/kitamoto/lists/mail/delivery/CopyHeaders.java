package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.mail.pipeline.PersonalHeaders;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;

/**
 * The header block written in front of a post's shared bytes for one copy: complete header fields, CRLF line ends.
 * Called once per copy attempt by the dispatcher thread, before the copy is queued for a connection (so a slow
 * implementation, such as a signer, costs the dispatcher, never the I/O thread). A DKIM signer wraps
 * {@link #standard}: it computes the personal fields, then signs them together with {@link PreparedPost#canonical()}
 * and returns the {@code DKIM-Signature:} field followed by them.
 */
@FunctionalInterface
public interface CopyHeaders {
    byte[] headersFor(PreparedPost post, DueDelivery delivery);

    /** RFC 8058 List-Unsubscribe for copies of list mail to a subscription; nothing for other copies. */
    static CopyHeaders standard(String publicUrl) {
        byte[] none = new byte[0];
        return (post, d) -> (post.origin() == PostOrigin.SMTP || post.origin() == PostOrigin.NOTICE
                || post.origin() == PostOrigin.DIGEST)
                && Verp.isSubscription(d.token())
                ? PersonalHeaders.forRecipient(publicUrl, post.addresses(), d.token())
                : none;
    }

    /**
     * {@code personal}'s block with what {@code signer} puts in front (DKIM-Signature), signed over the block and
     * {@link PreparedPost#canonical()}: exactly what the recipient reads, before dot-stuffing. The post's id names
     * the shared bytes, so the signer hashes the body once per post. A signer that fails returns the block as it
     * was (the copy goes out unsigned; {@link jp.kitamoto.lists.mail.dkim.DkimCopySigner} logs it).
     */
    static CopyHeaders signed(CopyHeaders personal, CopySigner signer) {
        if (signer == CopySigner.NONE) {
            return personal;
        }
        return (post, d) -> signer.sign(post.postId(), personal.headersFor(post, d), post.canonical());
    }
}
