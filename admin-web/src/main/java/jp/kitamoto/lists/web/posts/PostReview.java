package jp.kitamoto.lists.web.posts;

import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.service.PostQueries.DeliveryCounts;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.ArchiveMapper.PostSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Held posts and their decisions (through {@link Moderation}, audited), and the staff overview of recent posts. */
public final class PostReview {
    private static final int HELD_LIMIT = 500;
    private static final int RECENT_LIMIT = 100;

    private final Database db;
    private final PostQueries posts;
    private final Moderation moderation;
    private final AuditLog audit;

    public PostReview(Database db, PostQueries posts, Moderation moderation, AuditLog audit) {
        this.db = db;
        this.posts = posts;
        this.moderation = moderation;
        this.audit = audit;
    }

    public enum Decision { APPROVE, REJECT, DISCARD }

    /** One delivery overview line: a post and how many copies are in each state. */
    public record PostRow(PostSummary post, long sent, long pending, long failed) {
    }

    /** The held posts of a list, newest first. */
    public List<PostSummary> held(long listId) {
        return db.read(s -> s.getMapper(ArchiveMapper.class).findRecent(listId, "HELD", HELD_LIMIT));
    }

    /** The newest posts of a list in any state, with their delivery counts. */
    public List<PostRow> recent(long listId) {
        List<PostSummary> recent = db.read(s -> s.getMapper(ArchiveMapper.class).findRecent(listId, null,
                RECENT_LIMIT));
        List<PostRow> out = new ArrayList<>();
        for (PostSummary p : recent) {
            DeliveryCounts c = posts.deliveryCounts(p.id());
            out.add(new PostRow(p, c.sent(), c.pending(), c.failed()));
        }
        return out;
    }

    /**
     * Decides held posts of this list; ids of another list's posts are skipped (a moderator of one list cannot
     * decide another's). A rejection with a reason tells the sender. Returns how many were decided now: a post
     * already decided (by another moderator, a double click) is not counted.
     */
    /** Queues the failed copies of a post of this list again; how many. Audited. */
    public int resendFailed(long listId, long postId, Actor actor) {
        Optional<Post> post = posts.byId(postId).filter(p -> p.listId() == listId);
        if (post.isEmpty()) {
            return 0;
        }
        int n = moderation.resendFailed(postId, actor.name());
        if (n > 0) {
            audit.record(actor, "post.resend", listId, "post " + postId,
                    Optional.ofNullable(post.get().subject()).orElse("") + " / " + n);
        }
        return n;
    }

    public int decide(long listId, List<Long> postIds, Decision decision, String reason, Actor actor) {
        Optional<String> toSender = reason.isEmpty() ? Optional.empty() : Optional.of(reason);
        int done = 0;
        for (long postId : postIds) {
            Optional<Post> post = posts.byId(postId).filter(p -> p.listId() == listId);
            if (post.isEmpty()) {
                continue;
            }
            boolean ok = switch (decision) {
                case APPROVE -> moderation.approve(postId, actor.name());
                case REJECT -> moderation.reject(postId, toSender, actor.name());
                case DISCARD -> moderation.discard(postId, actor.name());
            };
            if (ok) {
                done++;
                audit.record(actor, "post." + decision.name().toLowerCase(java.util.Locale.ROOT), listId,
                        "post " + postId, Optional.ofNullable(post.get().subject()).orElse("")
                                + (reason.isEmpty() ? "" : " / 理由: " + reason));
            }
        }
        return done;
    }
}
