package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.Dialect;

/**
 * Tells the delivery dispatchers that delivery rows were committed, so they look now instead of at their next poll.
 * One node (SQLite): a call in this process. Several nodes (PostgreSQL): also a {@code NOTIFY} that every node
 * {@code LISTEN}s for, so a post accepted on one node starts its delivery on the others at once.
 */
public interface DeliveryWakeups extends AutoCloseable {
    /** Rows were committed by this process: wake the dispatchers (this node's at once, the others' by NOTIFY). */
    void rowsCommitted();

    /** Begins listening for the other nodes' wake-ups (nothing to do with one node). */
    void start();

    @Override
    void close();

    /**
     * For the database's dialect; {@code wakeLocal} wakes this process's dispatcher (a process without one, the
     * command line, passes a no-op and never calls {@link #start()}: it only notifies).
     */
    static DeliveryWakeups forDatabase(Database db, Settings settings, Runnable wakeLocal) {
        if (db.dialect() != Dialect.POSTGRESQL) {
            return new DeliveryWakeups() {
                @Override
                public void rowsCommitted() {
                    wakeLocal.run();
                }

                @Override
                public void start() {
                }

                @Override
                public void close() {
                }
            };
        }
        return new PostgresWakeups(db, settings.server().nodeId(), wakeLocal);
    }
}
