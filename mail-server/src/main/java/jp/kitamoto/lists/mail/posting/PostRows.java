package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.mail.delivery.Verp;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.PostMapper;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.util.Optional;

/** Writes the rows of a post and of single copies, the same way for every path that stores one. */
final class PostRows {
    private final Clock clock;

    PostRows(Clock clock) {
        this.clock = clock;
    }

    /** What a new post row says besides its bytes. {@code sequence} is null unless it is distributed to the list. */
    record NewPost(MailingList list, PostOrigin origin, Long sequence, String messageId, String envelopeFrom,
                   String sender, String subject, PostState state, String reasons) {
    }

    long insert(SqlSession session, NewPost p, byte[] raw, byte[] prepared) {
        long now = clock.millis();
        Post post = new Post(0, p.list().id(), p.origin(), p.sequence(), p.messageId(),
                p.envelopeFrom() == null ? "" : p.envelopeFrom(), p.sender(), p.subject(), raw, prepared, p.state(),
                p.reasons(), now, p.state() == PostState.HELD ? null : now);
        IdHolder key = new IdHolder();
        session.getMapper(PostMapper.class).insertPost(post, key);
        return key.getId();
    }

    /**
     * One pending copy for one recipient. {@code subscriptionToken} is the recipient's subscription token when the
     * copy goes to a subscription (its bounces then count against it), and empty for anybody else (an owner, a
     * moderator, someone asking to join): such a copy's return path is the list's plain bounces address, which
     * no subscription has.
     */
    void insertCopy(SqlSession session, long postId, String recipient, Optional<String> subscriptionToken) {
        session.getMapper(DeliveryMapper.class).insertDelivery(postId, recipient,
                subscriptionToken.orElse(Verp.NO_SUBSCRIPTION), clock.millis());
    }
}
