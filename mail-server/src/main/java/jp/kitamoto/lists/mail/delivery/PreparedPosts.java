package jp.kitamoto.lists.mail.delivery;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepared posts the dispatcher holds: those whose copies are in hand (taken from the database and not yet
 * recorded) and, least recently used first out, a few recent ones. Both are bounded in bytes. Counting posts alone
 * let twelve 9 MB flyers posted at once, each with its copies queued, take over 100 MB against run.sh's 160 MB heap
 * (measured: OutOfMemoryError). Now a post's rows are taken only while the posts in hand fit in {@code maxBytes},
 * or when no other post is in hand (so a post larger than the bound still goes, alone); the other rows stay due in
 * the database and are taken once earlier copies are recorded. Only the dispatcher thread touches it.
 */
final class PreparedPosts {
    static final int MAX_CACHED = 32;
    /** The automatic byte bound: this share of the JVM's maximum heap. */
    private static final double HEAP_SHARE = 0.15;

    private final long maxBytes;
    /** Every post held, in hand or not, least recently used first. */
    private final Map<Long, PreparedPost> posts = new LinkedHashMap<>(16, 0.75f, true);
    /** Per post with copies in hand: how many, and the bytes the post counts for while in hand. */
    private final Map<Long, InHand> inHand = new HashMap<>();
    /** The post of each row in hand, to release it when the row's outcome is recorded. */
    private final Map<Long, Long> postOfRow = new HashMap<>();
    private long bytes;
    private long bytesInHand;

    private static final class InHand {
        final long bytes;
        int copies;

        InHand(long bytes) {
            this.bytes = bytes;
        }
    }

    PreparedPosts(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    static PreparedPosts forHeap() {
        return new PreparedPosts((long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
    }

    /** The post, if held (in hand or recently used). */
    PreparedPost get(long postId) {
        return posts.get(postId);
    }

    /** Holds a post just prepared (it is not in hand until a row of it is {@link #take}n). */
    void put(PreparedPost post) {
        PreparedPost old = posts.put(post.postId(), post);
        if (old != null) {
            bytes -= old.heapBytes();
        }
        bytes += post.heapBytes();
        evict(post.postId());
    }

    /**
     * Takes a row of {@code post} into hand, if the posts in hand leave room for it; false (nothing taken) means
     * the row should stay in the database for now.
     */
    boolean take(long rowId, PreparedPost post) {
        long postId = post.postId();
        InHand held = inHand.get(postId);
        if (held == null) {
            if (bytesInHand > 0 && bytesInHand + post.heapBytes() > maxBytes) {
                return false;
            }
            held = new InHand(post.heapBytes());
            inHand.put(postId, held);
            bytesInHand += held.bytes;
        }
        held.copies++;
        postOfRow.put(rowId, postId);
        return true;
    }

    /** A row's outcome was recorded (or it left the dispatcher's hands): its post may leave hand. */
    void release(long rowId) {
        Long postId = postOfRow.remove(rowId);
        if (postId == null) {
            return;
        }
        InHand held = inHand.get(postId);
        if (--held.copies == 0) {
            inHand.remove(postId);
            bytesInHand -= held.bytes;
            evict(-1);
        }
    }

    /** Lets go of the least recently used posts not in hand while over either bound, except {@code keep}. */
    private void evict(long keep) {
        Iterator<PreparedPost> eldest = posts.values().iterator();
        while ((posts.size() > MAX_CACHED || bytes > maxBytes) && eldest.hasNext()) {
            PreparedPost p = eldest.next();
            if (p.postId() != keep && !inHand.containsKey(p.postId())) {
                bytes -= p.heapBytes();
                eldest.remove();
            }
        }
    }

    long bytesInHand() {
        return bytesInHand;
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return posts.size();
    }
}
