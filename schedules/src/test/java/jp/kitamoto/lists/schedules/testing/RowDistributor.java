package jp.kitamoto.lists.schedules.testing;

import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.PostMapper;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-in for mail-server's Distributor until it is merged: it writes the same rows the contract promises (a post,
 * one PENDING delivery row per active subscriber, in the caller's transaction) through core's mappers, without
 * decorating. It does not send: tests assert on the delivery rows, which are the per-recipient truth.
 */
public final class RowDistributor implements Distributor {
    public record OneCopy(long listId, String recipient, byte[] message, boolean decorate) {
    }

    private final Clock clock;
    public final List<OneCopy> singleCopies = new CopyOnWriteArrayList<>();
    public final AtomicInteger wakes = new AtomicInteger();
    /** When set, distributeToList dies after creating the rows (a crash inside the transaction). */
    public volatile boolean dieInsideTransaction;

    public RowDistributor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long distributeToList(SqlSession session, long listId, byte[] message, PostOrigin origin) {
        long now = clock.millis();
        long postId = insertPost(session, listId, message, origin, now);
        session.getMapper(DeliveryMapper.class).expandPost(postId, listId, now);
        if (dieInsideTransaction) {
            throw new SimulatedCrash();
        }
        return postId;
    }

    /** The digest as written (no List-* fields), one row per subscription that takes the digest. */
    @Override
    public long distributeDigest(SqlSession session, long listId, byte[] message, java.util.Locale language) {
        long now = clock.millis();
        long postId = insertPost(session, listId, message, PostOrigin.DIGEST, now);
        session.getMapper(DeliveryMapper.class).expandDigest(postId, listId,
                jp.kitamoto.lists.text.Texts.of(language).locale().getLanguage(), now);
        return postId;
    }

    @Override
    public long sendOne(SqlSession session, long listId, String recipient, byte[] message, boolean decorate) {
        long now = clock.millis();
        long postId = insertPost(session, listId, message, decorate ? PostOrigin.NOTICE : PostOrigin.SYSTEM, now);
        session.getMapper(DeliveryMapper.class).insertDelivery(postId, recipient, "single", now);
        singleCopies.add(new OneCopy(listId, recipient, message, decorate));
        return postId;
    }

    private static long insertPost(SqlSession session, long listId, byte[] message, PostOrigin origin, long now) {
        IdHolder key = new IdHolder();
        session.getMapper(PostMapper.class).insertPost(new Post(0, listId, origin, null, null, "owner@test",
                "owner@test", null, message, message, PostState.ACCEPTED, "", now, now), key);
        return key.getId();
    }

    @Override
    public void wake() {
        wakes.incrementAndGet();
    }

    /** An Error, like the process dying: SendService does not catch it, the transaction never commits. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash() {
            super("simulated crash inside the send transaction");
        }
    }
}
