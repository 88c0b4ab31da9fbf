package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.store.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Wake-ups across nodes with PostgreSQL {@code LISTEN/NOTIFY}. A node that committed delivery rows wakes its own
 * dispatcher directly and sends {@code NOTIFY kitamoto_deliveries, '<node id>'}; each node listens on a connection of
 * its own (outside the pools: it is held for the life of the process) and wakes its dispatcher on any notice but
 * its own. A notice is only a hint: a node that misses one (its listening connection was down) finds the rows at its
 * next poll ({@code delivery.poll-millis}), and after reconnecting it wakes once in case it missed some.
 */
final class PostgresWakeups implements DeliveryWakeups {
    private static final Logger log = LoggerFactory.getLogger(PostgresWakeups.class);
    static final String CHANNEL = "kitamoto_deliveries";
    /** How long one wait for notices lasts; also how soon the listener notices it should stop. */
    private static final int WAIT_MILLIS = 1000;
    private static final long RECONNECT_MILLIS = 5000;

    private final Database db;
    private final String node;
    private final Runnable wakeLocal;
    private volatile boolean running;
    private volatile Connection listening;
    private Thread listener;

    PostgresWakeups(Database db, String node, Runnable wakeLocal) {
        this.db = db;
        this.node = node;
        this.wakeLocal = wakeLocal;
    }

    @Override
    public void rowsCommitted() {
        wakeLocal.run();
        // A pooled connection in auto-commit: the NOTIFY is sent at once (inside a transaction it would wait for
        // the commit, and the rows it announces are already committed).
        try (var session = db.sessions().openSession(true);
             PreparedStatement notify = session.getConnection().prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, node);
            notify.execute();
        } catch (SQLException | RuntimeException e) {
            log.warn("could not wake the other nodes (they find the rows at their next poll): {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "delivery-listen");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        while (running) {
            try (Connection c = db.openDedicatedConnection()) {
                listening = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                log.info("delivery listens for the other nodes' wake-ups ({})", CHANNEL);
                wakeLocal.run(); // rows committed while nobody listened
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notices = pg.getNotifications(WAIT_MILLIS);
                    if (notices == null) {
                        continue;
                    }
                    for (PGNotification n : notices) {
                        if (!node.equals(n.getParameter())) {
                            wakeLocal.run();
                            break;
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("listening for other nodes' wake-ups failed; reconnecting in {} s: {}",
                        RECONNECT_MILLIS / 1000, e.toString());
                try {
                    Thread.sleep(RECONNECT_MILLIS); // a pause between reconnection attempts, not a wait for a result
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                listening = null;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            listener.join(WAIT_MILLIS * 3L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing anyway.
            }
        }
    }
}
