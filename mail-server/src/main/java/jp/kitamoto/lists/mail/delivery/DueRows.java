package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import jp.kitamoto.lists.store.Dialect;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Where the dispatcher gets the due rows it may send. One node (SQLite) simply reads them: its in-memory set of rows
 * in flight is what keeps a row from being sent twice. Several nodes (PostgreSQL) claim them in the database with a
 * lease, so that no two nodes send the same row and the rows of a node that died are taken by another.
 */
interface DueRows extends AutoCloseable {
    /** Up to {@code limit} due rows after {@code afterId}, in id order, now this node's to send. */
    List<DueDelivery> take(long now, long afterId, int limit);

    /** Begins whatever keeps the taken rows this node's while it works on them. */
    void start();

    /** This node stops: what it took and did not finish goes back to the others at once. */
    @Override
    void close();

    /**
     * The implementation for the database's dialect. {@code inFlight} is the dispatcher's set of rows taken and not
     * yet released; it is read (never changed) here.
     */
    static DueRows forDatabase(Database db, Settings settings, Clock clock, Set<Long> inFlight) {
        return db.dialect() == Dialect.POSTGRESQL
                ? new ClaimedDueRows(db, clock, settings.server().nodeId(), settings.delivery().leaseSeconds() * 1000L,
                        inFlight)
                : new ReadDueRows(db);
    }
}
