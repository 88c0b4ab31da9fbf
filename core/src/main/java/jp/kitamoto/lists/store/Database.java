package jp.kitamoto.lists.store;

import jp.kitamoto.lists.config.Settings;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.datasource.unpooled.UnpooledDataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.ByteArrayTypeHandler;
import org.apache.ibatis.type.JdbcType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * The database: its connection pools, the MyBatis session factories and the schema, built eagerly so that a bad
 * URL or a failed migration stops start-up instead of the first post.
 *
 * <p>Two factories share one database. {@link #sessions()} is the durable one (SQLite {@code synchronous=FULL}):
 * every write that an SMTP 250 or a web form depends on goes through it. {@link #statusSessions()} is used only
 * for delivery bookkeeping (SQLite {@code synchronous=NORMAL}, PostgreSQL {@code synchronous_commit=off}): a crash of
 * the process loses nothing there, and a power loss (or a crash of PostgreSQL) can at worst forget that a copy was
 * sent, which means one duplicate, never a lost message.
 *
 * <p>SQLite write transactions start with {@code BEGIN IMMEDIATE} so that two writers queue on the busy timeout
 * instead of failing with "database is locked" when a read lock cannot be upgraded. Read-only work should use an
 * auto-commit session, which takes no write lock.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** Mapper interfaces; their XML lies beside them on the classpath. Modules add theirs with {@link #addMappers}. */
    private static final List<Class<?>> CORE_MAPPERS = List.of(ListMapper.class, MemberMapper.class,
            SubscriptionMapper.class, PostMapper.class, DeliveryMapper.class, CommandMapper.class, DigestMapper.class,
            ArchiveTextMapper.class);

    private final Dialect dialect;
    private final PooledDataSource durable;
    private final PooledDataSource status;
    private final SqlSessionFactory sessions;
    private final SqlSessionFactory statusSessions;
    /** Pools handed out by {@link #separatePool}, closed with this database. */
    private final List<PooledDataSource> separatePools = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String url;
    private final String username;
    private final String password;
    private final UnpooledDataSource direct;

    private Database(Dialect dialect, PooledDataSource durable, PooledDataSource status, UnpooledDataSource direct,
                     String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.dialect = dialect;
        this.direct = direct;
        this.durable = durable;
        this.status = status;
        this.sessions = factory(durable, "durable");
        this.statusSessions = status == durable ? sessions : factory(status, "status");
    }

    /** Opens the database the settings name (the embedded SQLite file by default) and migrates it. */
    public static Database open(Settings settings) {
        String url = settings.database().url();
        if (url.isEmpty()) {
            Path dir = settings.server().dataPath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create data directory " + dir.toAbsolutePath(), e);
            }
            url = "jdbc:sqlite:" + dir.resolve("lists.db");
        }
        return open(url, settings.database().username(), settings.database().password(), settings.database().poolSize());
    }

    public static Database open(String url, String username, String password, int poolSize) {
        Dialect dialect = Dialect.of(url);
        // Flyway gets connections of its own, closed when it is done, not the pool's: on PostgreSQL it holds two at
        // once (one for its lock and history, one for the script), which a pool of database.pool-size 1 cannot give.
        UnpooledDataSource direct = new UnpooledDataSource(driverClass(dialect), url,
                properties(dialect, username, password, true));
        Migrations.apply(direct, dialect);
        PooledDataSource durable = dataSource(dialect, url, username, password, poolSize, true);
        // Delivery bookkeeping has a pool of its own on both databases: two connections (the I/O thread's group
        // commits and the status writer's), without waiting for the disk (see the class comment).
        PooledDataSource status = dataSource(dialect, url, username, password, 2, false);
        Database db = new Database(dialect, durable, status, direct, url, username, password);
        log.info("database ready: {} ({})", url.replaceAll("password=[^&;]*", "password=***"), dialect.databaseId());
        return db;
    }

    private static PooledDataSource dataSource(Dialect dialect, String url, String user, String password, int size,
                                               boolean durable) {
        PooledDataSource ds = new PooledDataSource(driverClass(dialect), url, properties(dialect, user, password, durable));
        ds.setPoolMaximumActiveConnections(size);
        ds.setPoolMaximumIdleConnections(size);
        return ds;
    }

    private static Properties properties(Dialect dialect, String user, String password, boolean durable) {
        Properties props = new Properties();
        if (dialect == Dialect.SQLITE) {
            props.setProperty("journal_mode", "WAL");
            props.setProperty("synchronous", durable ? "FULL" : "NORMAL");
            props.setProperty("busy_timeout", "30000");
            props.setProperty("foreign_keys", "true");
            props.setProperty("transaction_mode", "IMMEDIATE");
        } else {
            if (!durable) {
                // PostgreSQL's counterpart of SQLite's synchronous=NORMAL: the commit returns before its WAL is
                // flushed (flushed within 3 x wal_writer_delay, 600 ms by default). A crash of PostgreSQL itself can
                // forget the last outcomes recorded, so those copies are sent again: duplicates, never a loss. A
                // crash of our process loses nothing. Measured in bench/README.md (#11): this is what lets one
                // node on PostgreSQL keep up with one on SQLite.
                props.setProperty("options", "-c synchronous_commit=off");
            }
            if (!user.isEmpty()) {
                props.setProperty("user", user);
                props.setProperty("password", password);
            }
        }
        return props;
    }

    private static String driverClass(Dialect dialect) {
        return dialect == Dialect.SQLITE ? "org.sqlite.JDBC" : "org.postgresql.Driver";
    }

    private SqlSessionFactory factory(PooledDataSource ds, String name) {
        Configuration cfg = new Configuration(new Environment(name, new JdbcTransactionFactory(), ds));
        cfg.setDatabaseId(dialect.databaseId());
        cfg.setMapUnderscoreToCamelCase(true);
        cfg.setArgNameBasedConstructorAutoMapping(true);
        cfg.setDefaultFetchSize(1000);
        // sqlite-jdbc has no getBlob(); read BLOB/BYTEA columns as plain byte arrays on both databases.
        cfg.getTypeHandlerRegistry().register(JdbcType.BLOB, new ByteArrayTypeHandler());
        cfg.getTypeHandlerRegistry().register(byte[].class, JdbcType.BLOB, new ByteArrayTypeHandler());
        CORE_MAPPERS.forEach(cfg::addMapper);
        return new SqlSessionFactoryBuilder().build(cfg);
    }

    /** Registers more mapper interfaces (from other modules) with both factories. */
    public void addMappers(Class<?>... mappers) {
        for (Class<?> m : mappers) {
            if (!sessions.getConfiguration().hasMapper(m)) {
                sessions.getConfiguration().addMapper(m);
            }
            if (statusSessions != sessions && !statusSessions.getConfiguration().hasMapper(m)) {
                statusSessions.getConfiguration().addMapper(m);
            }
        }
    }

    /**
     * A small durable pool of its own on the same database, for a library that takes connections on its own threads
     * and holds them across its own transactions (Quartz's clustered job store), so that it never waits behind the
     * delivery workers for one of {@code database.pool-size}, nor they behind it. Closed with this database.
     */
    public javax.sql.DataSource separatePool(int size) {
        PooledDataSource ds = dataSource(dialect, url, username, password, size, true);
        separatePools.add(ds);
        return ds;
    }

    /**
     * The durable pool as a plain {@code DataSource}, for a library that runs one short statement at a time on the
     * request's thread (Jetty's session store): it shares the pool with the web's own queries.
     */
    public javax.sql.DataSource dataSource() {
        return durable;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Durable sessions for every write that must survive a crash or power loss. */
    public SqlSessionFactory sessions() {
        return sessions;
    }

    /** Sessions for delivery bookkeeping only (see the class comment). */
    public SqlSessionFactory statusSessions() {
        return statusSessions;
    }

    /**
     * A new connection outside the pools, for work that holds one for the life of the process (PostgreSQL
     * {@code LISTEN}); the caller closes it.
     */
    public java.sql.Connection openDedicatedConnection() throws java.sql.SQLException {
        return direct.getConnection();
    }

    /** Runs {@code work} in one durable transaction and commits it. */
    public <T> T inTransaction(Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(false)) {
            T result = work.apply(session);
            session.commit(true);
            return result;
        }
    }

    /** Runs read-only {@code work} in an auto-commit session (no write lock). */
    public <T> T read(Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(true)) {
            return work.apply(session);
        }
    }

    @Override
    public void close() {
        separatePools.forEach(PooledDataSource::forceCloseAll);
        durable.forceCloseAll();
        if (status != durable) {
            status.forceCloseAll();
        }
    }
}
