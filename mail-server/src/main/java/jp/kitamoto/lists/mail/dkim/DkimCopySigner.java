package jp.kitamoto.lists.mail.dkim;

import jp.kitamoto.lists.mail.delivery.CopySigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs each copy as the delivery dispatcher makes it ready ({@code CopyHeaders.signed}): the personal header block
 * together with the post's canonical shared bytes (CRLF, not dot-stuffed). The body hash of a post's shared bytes is
 * computed once and kept for the last few posts (the dispatcher works through a few posts at a time, in id order),
 * so a copy costs one header canonicalisation and one RSA signature.
 */
public final class DkimCopySigner implements CopySigner {
    private static final Logger log = LoggerFactory.getLogger(DkimCopySigner.class);
    private static final int CACHED_POSTS = 32;

    private final DkimSigner signer;
    private final Map<Long, Cached> prepared = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Cached> eldest) {
            return size() > CACHED_POSTS;
        }
    };

    /**
     * The shared array is referred to (weakly) to check identity: a post re-read from the database is hashed again,
     * never mixed up. Weakly, because a strong reference kept the bytes of the last 32 posts alive after delivery let
     * go of them: 32 flyers of 9 MB each against a 160 MB heap (an OutOfMemoryError showed six of them held here).
     */
    private record Cached(WeakReference<byte[]> shared, DkimSigner.PreparedBody body) {
    }

    public DkimCopySigner(DkimSigner signer) {
        this.signer = signer;
    }

    @Override
    public byte[] sign(long postId, byte[] personal, byte[] shared) {
        try {
            byte[] signature = signer.sign(personal, body(postId, shared));
            byte[] out = new byte[signature.length + personal.length];
            System.arraycopy(signature, 0, out, 0, signature.length);
            System.arraycopy(personal, 0, out, signature.length, personal.length);
            return out;
        } catch (RuntimeException e) {
            // Never lose a copy over its signature: unsigned mail may land in spam, but it is not lost.
            log.error("DKIM: signing a copy of post {} failed; sending it unsigned", postId, e);
            return personal;
        }
    }

    DkimSigner.PreparedBody body(long postId, byte[] shared) {
        synchronized (prepared) {
            Cached c = prepared.get(postId);
            if (c != null && c.shared().get() == shared) {
                return c.body();
            }
        }
        // Hashed outside the lock: two workers starting on a new post at once may both hash it; harmless.
        DkimSigner.PreparedBody body = signer.prepare(shared);
        synchronized (prepared) {
            prepared.put(postId, new Cached(new WeakReference<>(shared), body));
        }
        return body;
    }
}
