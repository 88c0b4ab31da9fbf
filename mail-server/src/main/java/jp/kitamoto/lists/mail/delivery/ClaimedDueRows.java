package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Several nodes (PostgreSQL): due rows are claimed in the database with a lease ({@link DeliveryMapper#claimDue}).
 * While the node holds rows (taken, queued or at a connection) it renews their claims every quarter of the lease, so a claim lapses only when
 * the node has died or has not reached the database for three renewals in a row; the outcome's commit clears the
 * claim. A row taken and then lost from the dispatcher's memory (it never reached a connection) is no longer renewed,
 * so it lapses and is sent by whichever node comes first.
 *
 * <p>Crash rule across nodes: a row is sent by the node that holds its claim; when that node dies, only the copies
 * it had handed to the smarthost without recording them (at most one per connection) can be sent again by another
 * node; the rest of its claims were never sent and simply wait for their lease to lapse.
 */
final class ClaimedDueRows implements DueRows {
    private static final Logger log = LoggerFactory.getLogger(ClaimedDueRows.class);
    /** Rows per renewal or release statement: a bound on the statement's parameters. */
    private static final int CHUNK = 1000;

    private final Database db;
    private final Clock clock;
    private final String node;
    private final long leaseMillis;
    private final Set<Long> inFlight;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "delivery-lease");
        t.setDaemon(true);
        return t;
    });
    /** The latest batch taken: the dispatcher adds its rows to {@link #inFlight} one by one as the queue has room. */
    private volatile List<Long> latestTaken = List.of();
    private volatile long lastRenewed;
    private volatile boolean lapseReported;

    ClaimedDueRows(Database db, Clock clock, String node, long leaseMillis, Set<Long> inFlight) {
        this.db = db;
        this.clock = clock;
        this.node = node;
        this.leaseMillis = leaseMillis;
        this.inFlight = inFlight;
    }

    @Override
    public List<DueDelivery> take(long now, long afterId, int limit) {
        List<DueDelivery> claimed = new ArrayList<>(db.inTransaction(s -> s.getMapper(DeliveryMapper.class)
                .claimDue(now, afterId, limit, node, now + leaseMillis)));
        // UPDATE … RETURNING gives no order; the dispatcher sends (and moves its cursor) in id order.
        claimed.sort(Comparator.comparingLong(DueDelivery::id));
        latestTaken = claimed.stream().map(DueDelivery::id).toList();
        return claimed;
    }

    @Override
    public void start() {
        lastRenewed = clock.millis();
        long every = Math.max(leaseMillis / 4, 1000);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        log.info("delivery claims rows as node '{}' with a lease of {} s", node, leaseMillis / 1000);
    }

    private void renew() {
        try {
            long now = clock.millis();
            int renewed = inChunks(ids -> db.inTransaction(s -> s.getMapper(DeliveryMapper.class)
                    .renewClaims(ids, node, now + leaseMillis)));
            lastRenewed = now;
            lapseReported = false;
            log.debug("renewed {} delivery claims", renewed);
        } catch (RuntimeException e) {
            boolean lapsed = clock.millis() - lastRenewed > leaseMillis;
            if (lapsed && !lapseReported) {
                lapseReported = true;
                log.error("delivery claims could not be renewed for longer than their lease: another node may now "
                        + "send copies this node still holds (duplicates, never a loss)", e);
            } else {
                log.warn("renewing delivery claims failed; trying again: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            int released = inChunks(ids -> db.inTransaction(s -> s.getMapper(DeliveryMapper.class)
                    .releaseClaims(ids, node)));
            if (released > 0) {
                log.info("gave back {} claimed deliveries to the other nodes", released);
            }
        } catch (RuntimeException e) {
            log.warn("could not give back this node's delivery claims; they lapse in {} s: {}", leaseMillis / 1000,
                    e.toString());
        }
    }

    private int inChunks(Function<List<Long>, Integer> statement) {
        java.util.Set<Long> held = new java.util.HashSet<>(inFlight);
        held.addAll(latestTaken);
        List<Long> ids = new ArrayList<>(held);
        int total = 0;
        for (int from = 0; from < ids.size(); from += CHUNK) {
            total += statement.apply(ids.subList(from, Math.min(from + CHUNK, ids.size())));
        }
        return total;
    }
}
