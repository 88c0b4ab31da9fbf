package jp.kitamoto.lists.mail.bounces;

import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.commands.InboundHandler;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * A bounce (mail to {@code <list>-bounces+<token>@}): each permanent failure adds one to the subscription's bounce
 * score, and at {@link #SUSPEND_AT} delivery to that subscription is suspended (the member stays a member and can
 * post; staff see the state and can resume it). Like Mailman's bounce runner, but the VERP token makes the member
 * certain, so no guessing of addresses from the bounce text.
 */
public final class BounceHandler implements InboundHandler {
    /** Mailman's default threshold: a few hard bounces, not one (a single full mailbox should not unsubscribe). */
    public static final int SUSPEND_AT = 5;
    private static final Logger log = LoggerFactory.getLogger(BounceHandler.class);

    private final Clock clock;

    public BounceHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String handle(SqlSession session, InboundCommand bounce) {
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        Optional<Subscription> subscription = Optional.ofNullable(bounce.token())
                .flatMap(subs::findByToken)
                .filter(s -> s.listId() == bounce.listId());
        if (subscription.isEmpty()) {
            return "unknown token: no subscription";
        }
        BounceClassifier.Kind kind;
        try {
            kind = BounceClassifier.classify(MimeEntity.parse(bounce.raw()), bounce.envelopeFrom());
        } catch (MalformedMessageException e) {
            kind = BounceClassifier.Kind.PERMANENT;
        }
        if (kind != BounceClassifier.Kind.PERMANENT) {
            return kind.name().toLowerCase(Locale.ROOT) + ": not counted";
        }
        Subscription sub = subscription.get();
        long now = clock.millis();
        subs.addBounceScore(sub.id(), 1, now);
        int score = sub.bounceScore() + 1;
        String result = "permanent: bounce score " + score;
        if (score >= SUSPEND_AT && sub.state() == SubscriptionState.ACTIVE) {
            subs.updateState(sub.id(), SubscriptionState.SUSPENDED, now);
            result += ", delivery suspended";
            log.info("subscription {} on list {}: delivery suspended after {} bounces", sub.id(), sub.listId(), score);
        }
        return result;
    }
}
