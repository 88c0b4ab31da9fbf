package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.Dialect;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.simpl.RAMJobStore;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

/**
 * Where Quartz keeps its triggers, chosen in this one place by the database the server runs on.
 *
 * <ul>
 *   <li><b>SQLite</b> (one process): Quartz's RAM store. Nothing of Quartz survives a restart; {@link QuartzScheduling}
 *       rebuilds the triggers from {@code sched_sends}.</li>
 *   <li><b>PostgreSQL</b> (one node or several on one database): Quartz's own clustered JDBC store
 *       ({@link JobStoreTX}, {@link PostgreSQLDelegate}, {@code isClustered=true}) in the tables of migration V201, with
 *       connections from a small pool of our own ({@link Database#separatePool}). Every node runs a scheduler of the
 *       same name; Quartz's row lock ({@code QRTZ_LOCKS}, {@code SELECT ... FOR UPDATE}) lets one node acquire a
 *       trigger, and a node that stops checking in for {@value #CHECKIN_MILLIS} ms (plus Quartz's 7.5 s of grace) is
 *       taken for dead: its acquired triggers go back to waiting and its running jobs, which request recovery, run
 *       again on another node. Whether a send goes out is still decided by our own claim on its
 *       {@code sched_sends} row, so a trigger that fires twice (a recovery after the send committed) sends once.</li>
 * </ul>
 */
final class QuartzStore {
    /** The scheduler name every node of one database shares: it is the key of Quartz's rows. */
    static final String CLUSTER_NAME = "kitamoto-schedules";
    /**
     * How often a node tells the others it is alive. A dead node's triggers are taken over about
     * {@code 2 × CHECKIN + 7.5 s} after its last check-in (under 20 s), well inside the one-minute misfire threshold,
     * so a notice held by a dead node still fires as an ordinary (slightly late) trigger. Each check-in is one small
     * UPDATE per node.
     */
    static final long CHECKIN_MILLIS = 5_000;
    /** Quartz's own connections: the scheduler thread, two workers, the cluster manager and the misfire handler. */
    private static final int POOL_SIZE = 5;

    private QuartzStore() {
    }

    static boolean clustered(Database db) {
        return db.dialect() == Dialect.POSTGRESQL;
    }

    /** The scheduler's properties for this database; registers the connection provider Quartz will ask for. */
    static Properties properties(Database db) {
        Properties p = new Properties();
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        // Quartz's misfire threshold; whether a late send still goes out is SendService's grace period, not this.
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        if (!clustered(db)) {
            // Quartz keeps schedulers in a JVM-wide registry by name: a unique name lets tests restart in one JVM.
            p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "kitamoto-schedules-" + UUID.randomUUID());
            p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, RAMJobStore.class.getName());
            return p;
        }
        String dataSource = "kitamoto-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new PoolProvider(db.separatePool(POOL_SIZE)));
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, CLUSTER_NAME);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, StdSchedulerFactory.AUTO_GENERATE_INSTANCE_ID);
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID_GENERATOR_CLASS, NodeInstanceId.class.getName());
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, JobStoreTX.class.getName());
        p.setProperty("org.quartz.jobStore.driverDelegateClass", PostgreSQLDelegate.class.getName());
        p.setProperty("org.quartz.jobStore.dataSource", dataSource);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(CHECKIN_MILLIS));
        // Acquire under the row lock, so two nodes never both take the same trigger (Quartz's advice for clusters).
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }

    /** Hands Quartz connections from our own pool instead of one it would build (c3p0 or HikariCP). */
    private record PoolProvider(DataSource pool) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return pool.getConnection();
        }

        @Override
        public void shutdown() {
            // The pool belongs to the Database and is closed with it.
        }

        @Override
        public void initialize() {
        }
    }
}
