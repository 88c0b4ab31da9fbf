package jp.kitamoto.lists.service;

import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.PostMapper;

import java.util.List;
import java.util.Optional;

/**
 * Read-only questions about posts and their deliveries, shared by the staff pages and (later) a command line and a
 * REST API. Decisions on held posts go through {@link Moderation}.
 */
public final class PostQueries {
    private final Database db;

    public PostQueries(Database db) {
        this.db = db;
    }

    /** How many copies of one post are in each delivery state. */
    public record DeliveryCounts(long sent, long pending, long failed) {
    }

    /** A post with its bytes, in any state. */
    public Optional<Post> byId(long postId) {
        return db.read(s -> s.getMapper(PostMapper.class).findById(postId));
    }

    /** The raw bytes of a post as it arrived. */
    /** What the intake forgave when it read this post (one per line), if anything. */
    public Optional<String> defects(long postId) {
        return db.read(s -> s.getMapper(PostMapper.class).selectDefects(postId));
    }

    public Optional<byte[]> raw(long postId) {
        return byId(postId).map(Post::raw);
    }

    /** The held posts of a list, counted up to {@code cap} (a home page shows "many", not an exact large number). */
    public long countHeld(long listId, int cap) {
        return db.read(s -> (long) s.getMapper(PostMapper.class)
                .findSummariesByListAndState(listId, PostState.HELD, cap).size());
    }

    public DeliveryCounts deliveryCounts(long postId) {
        return db.read(s -> counts(s.getMapper(DeliveryMapper.class).countByPost(postId)));
    }

    /** One page of a post's deliveries. */
    public List<Delivery> deliveries(long postId, int offset, int limit) {
        return db.read(s -> s.getMapper(DeliveryMapper.class).findByPost(postId, offset, limit));
    }

    private static DeliveryCounts counts(List<DeliveryMapper.StateCount> counts) {
        long sent = 0;
        long pending = 0;
        long failed = 0;
        for (DeliveryMapper.StateCount c : counts) {
            switch (c.state()) {
                case SENT -> sent = c.count();
                case PENDING -> pending = c.count();
                case FAILED -> failed = c.count();
            }
        }
        return new DeliveryCounts(sent, pending, failed);
    }
}
