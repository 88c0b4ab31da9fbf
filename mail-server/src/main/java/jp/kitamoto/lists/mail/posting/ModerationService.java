package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Moderation} of held posts: approve (the post is distributed as if accepted on arrival), reject (the
 * author may be told why), discard. Also tells the moderators when a post is held, since that notice is where
 * moderation starts.
 */
public final class ModerationService implements Moderation {
    private static final Logger log = LoggerFactory.getLogger(ModerationService.class);

    private final Database db;
    private final Settings settings;
    private final Clock clock;
    private final DistributionService distribution;

    public ModerationService(Database db, Settings settings, Clock clock, DistributionService distribution) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.distribution = distribution;
    }

    /**
     * Tells the list's owners and moderators at once that a post waits for them (Mailman's admin_immed_notify), in
     * the caller's transaction, the one that holds the post: a held post nobody knows about is as good as lost for
     * its author. Returns how many were told.
     */
    int notifyModerators(SqlSession session, MailingList list, long postId, String sender, String subject,
                         String reasons) {
        List<String> moderators = session.getMapper(ListMapper.class).findOwners(list.id()).stream()
                .map(ListOwner::address).distinct().toList();
        for (String moderator : moderators) {
            byte[] notice = SystemMail.heldNotice(list, settings.server().domain(), settings.server().publicUrl(),
                    moderator, postId, sender, subject, reasons, clock);
            distribution.sendOne(session, list.id(), moderator, notice, false);
        }
        return moderators.size();
    }

    @Override
    public int resendFailed(long postId, String actor) {
        int n = db.inTransaction(s -> s.getMapper(DeliveryMapper.class).requeueFailed(postId, clock.millis()));
        if (n > 0) {
            log.info("post {}: {} failed copies queued again by {}", postId, n, actor);
            distribution.wake();
        }
        return n;
    }

    @Override
    public boolean approve(long postId, String actor) {
        boolean done = db.inTransaction(session -> {
            Optional<Post> held = heldPost(session, postId);
            if (held.isEmpty()) {
                return false;
            }
            Post post = held.get();
            MailingList list = session.getMapper(ListMapper.class).findById(post.listId()).orElseThrow();
            int n = distribution.distributeHeld(session, list, post, post.reasons() + "\napproved-by: " + actor);
            log.info("post {} ({}) approved by {}: {} recipients", postId, post.messageId(), actor, n);
            return true;
        });
        if (done) {
            distribution.wake();
        }
        return done;
    }

    @Override
    public boolean reject(long postId, Optional<String> reasonForSender, String actor) {
        boolean done = db.inTransaction(session -> {
            Optional<Post> held = heldPost(session, postId);
            if (held.isEmpty()) {
                return false;
            }
            Post post = held.get();
            session.getMapper(PostMapper.class).updateDecision(postId, PostState.REJECTED, null, null,
                    post.reasons() + "\nrejected-by: " + actor, clock.millis());
            if (reasonForSender.isPresent() && post.sender() != null) {
                MailingList list = session.getMapper(ListMapper.class).findById(post.listId()).orElseThrow();
                byte[] notice = SystemMail.rejection(list, settings.server().domain(), post, reasonForSender.get(),
                        clock);
                distribution.sendOne(session, list.id(), post.sender(), notice, false);
            }
            log.info("post {} ({}) rejected by {}", postId, post.messageId(), actor);
            return true;
        });
        if (done) {
            distribution.wake();
        }
        return done;
    }

    @Override
    public boolean discard(long postId, String actor) {
        return db.inTransaction(session -> {
            Optional<Post> held = heldPost(session, postId);
            if (held.isEmpty()) {
                return false;
            }
            session.getMapper(PostMapper.class).updateDecision(postId, PostState.DISCARDED, null, null,
                    held.get().reasons() + "\ndiscarded-by: " + actor, clock.millis());
            log.info("post {} ({}) discarded by {}", postId, held.get().messageId(), actor);
            return true;
        });
    }

    private static Optional<Post> heldPost(SqlSession session, long postId) {
        return session.getMapper(PostMapper.class).findById(postId).filter(p -> p.state() == PostState.HELD);
    }
}
