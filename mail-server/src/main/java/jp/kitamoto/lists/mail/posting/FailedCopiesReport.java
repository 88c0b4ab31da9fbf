package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.mail.delivery.FailureListener;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tells a list's owners, once per post, when most of its copies failed for good: a smarthost that refuses what it
 * should relay, a batch of mistyped addresses after an import, a domain that went away. One refusal is a member's
 * problem and counts as a bounce; most of a post refused is the list's problem, and nobody else would notice (the
 * copies are kept as FAILED on the post's delivery page, where the mail points).
 *
 * <p>"Most" is more than half of the post's copies and at least {@value #MIN_FAILED}, counted each time copies of the
 * post fail; the report goes out the first time that holds (a conditional UPDATE of the post, so once across nodes),
 * with the counts of that moment ("so far": copies still in flight or waiting for a retry may fail later).
 * Mail the server writes itself (origin SYSTEM, such as this report) is never reported on.
 */
public final class FailedCopiesReport implements FailureListener {
    private static final Logger log = LoggerFactory.getLogger(FailedCopiesReport.class);
    static final int MIN_FAILED = 3;
    private static final int REASONS_SHOWN = 3;

    private final Database db;
    private final String domain;
    private final String publicUrl;
    private final DistributionService distribution;
    private final Clock clock;

    public FailedCopiesReport(Database db, String domain, String publicUrl, DistributionService distribution,
                              Clock clock) {
        this.db = db;
        this.domain = domain;
        this.publicUrl = publicUrl;
        this.distribution = distribution;
        this.clock = clock;
    }

    @Override
    public void copiesFailed(long postId) {
        int owners = db.inTransaction(s -> {
            DeliveryMapper deliveries = s.getMapper(DeliveryMapper.class);
            long total = 0;
            long failed = 0;
            for (DeliveryMapper.StateCount c : deliveries.countByPost(postId)) {
                total += c.count();
                if (c.state() == DeliveryState.FAILED) {
                    failed = c.count();
                }
            }
            if (failed < MIN_FAILED || failed * 2 <= total) {
                return 0;
            }
            PostMapper posts = s.getMapper(PostMapper.class);
            Post post = posts.findById(postId).orElse(null);
            if (post == null || post.origin() == PostOrigin.SYSTEM
                    || posts.markFailuresReported(postId, clock.millis()) == 0) {
                return 0;
            }
            MailingList list = s.getMapper(ListMapper.class).findById(post.listId()).orElseThrow();
            String reasons = deliveries.commonFailureReplies(postId, REASONS_SHOWN).stream()
                    .map(r -> "- " + r.reply() + " (" + r.count() + ")")
                    .collect(Collectors.joining("\n"));
            List<String> to = s.getMapper(ListMapper.class).findOwners(list.id()).stream()
                    .map(ListOwner::address).distinct().toList();
            for (String owner : to) {
                distribution.sendOne(s, list.id(), owner,
                        SystemMail.failedCopies(list, domain, publicUrl, owner, post, failed, total, reasons, clock),
                        false);
            }
            log.warn("post {} ({}) of list {}: {} of {} copies failed for good; {} owners told", postId,
                    post.messageId(), list.localPart(), failed, total, to.size());
            return to.size();
        });
        if (owners > 0) {
            distribution.wake();
        }
    }
}
