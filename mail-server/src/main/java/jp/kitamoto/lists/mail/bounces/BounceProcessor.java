package jp.kitamoto.lists.mail.bounces;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.message.MalformedMessageException;
import jp.kitamoto.lists.mail.message.MimeEntity;
import jp.kitamoto.lists.store.CommandMapper;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Handles the bounces the intake stored (mail to {@code <list>-bounces+<token>@}): each permanent failure adds one
 * to the subscription's bounce score, and at {@link #SUSPEND_AT} delivery to that subscription is suspended (the
 * member stays a member and can post; staff see the state and can resume it). Like Mailman's bounce runner, but
 * the VERP token makes the member certain, so no address guessing from the bounce text.
 */
public final class BounceProcessor implements AutoCloseable {
    /** Mailman's default threshold: a few hard bounces, not one (a single full mailbox should not unsubscribe). */
    public static final int SUSPEND_AT = 5;
    private static final Logger log = LoggerFactory.getLogger(BounceProcessor.class);

    private final Database db;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bounces");
        t.setDaemon(true);
        return t;
    });

    public BounceProcessor(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runSafely, 1, 5, TimeUnit.SECONDS);
    }

    /** New bounces were stored: handle them now rather than at the next round. */
    public void wake() {
        executor.execute(this::runSafely);
    }

    private void runSafely() {
        try {
            processPending();
        } catch (RuntimeException e) {
            log.error("bounce processing failed; the bounces stay stored and are tried again", e);
        }
    }

    /** Handles every stored bounce; returns how many. Each bounce is handled in its own transaction. */
    public int processPending() {
        int handled = 0;
        List<InboundCommand> received;
        do {
            received = db.read(s -> s.getMapper(CommandMapper.class)
                    .findByStateAndCommand(CommandState.RECEIVED, CommandKind.BOUNCES, 100));
            for (InboundCommand c : received) {
                db.inTransaction(s -> handle(s, c));
                handled++;
            }
        } while (!received.isEmpty());
        return handled;
    }

    private Void handle(SqlSession session, InboundCommand bounce) {
        long now = clock.millis();
        CommandMapper commands = session.getMapper(CommandMapper.class);
        Optional<Subscription> subscription = Optional.ofNullable(bounce.token())
                .flatMap(t -> session.getMapper(SubscriptionMapper.class).findByToken(t))
                .filter(s -> s.listId() == bounce.listId());
        if (subscription.isEmpty()) {
            commands.markProcessed(bounce.id(), CommandState.DONE, "unknown token: no subscription", now);
            return null;
        }
        BounceClassifier.Kind kind;
        try {
            kind = BounceClassifier.classify(MimeEntity.parse(bounce.raw()), bounce.envelopeFrom());
        } catch (MalformedMessageException e) {
            kind = BounceClassifier.Kind.PERMANENT;
        }
        Subscription sub = subscription.get();
        if (kind != BounceClassifier.Kind.PERMANENT) {
            commands.markProcessed(bounce.id(), CommandState.DONE, kind.name().toLowerCase(java.util.Locale.ROOT) + ": not counted", now);
            return null;
        }
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        subs.addBounceScore(sub.id(), 1, now);
        int score = sub.bounceScore() + 1;
        String result = "permanent: bounce score " + score;
        if (score >= SUSPEND_AT && sub.state() == SubscriptionState.ACTIVE) {
            subs.updateState(sub.id(), SubscriptionState.SUSPENDED, now);
            result += ", delivery suspended";
            log.info("subscription {} on list {}: delivery suspended after {} bounces", sub.id(), sub.listId(), score);
        }
        commands.markProcessed(bounce.id(), CommandState.DONE, result, now);
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
