package jp.kitamoto.lists.web.http;

import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.NullSessionCache;

import javax.sql.DataSource;

/**
 * Staff sessions kept in the database ({@code web_sessions}, migration V103) with Jetty's own
 * {@link JDBCSessionDataStore}, so that any node behind an HTTP load balancer knows who is signed in and the CSRF
 * token of the session: no sticky sessions. Chosen over signed stateless cookies because signing out (and Jetty's
 * expiry) then ends the session on every node at once, the session attributes stay where they were (who, the CSRF
 * token, a flash message), and no secret key has to be shared between the nodes.
 *
 * <ul>
 *   <li>{@link NullSessionCache}: no node keeps a copy in memory, so no node can act on a stale one (Jetty's advice
 *       for clusters without sticky sessions); each staff request reads one row by its primary key.</li>
 *   <li>flush on response commit: a changed session is written before the response leaves, so the browser's next
 *       request (perhaps to another node, right after the redirect of the sign-in) finds it.</li>
 *   <li>save period 60 s: an unchanged session is written back at most once a minute just to move its expiry (8 h
 *       of inactivity), instead of once per request.</li>
 * </ul>
 * Used on both databases, so every browser test of the staff pages exercises it.
 */
public final class SharedSessions {
    private static final int SAVE_PERIOD_SECONDS = 60;

    private SharedSessions() {
    }

    /** Gives {@code handler} a cache that reads through to the table, on connections from {@code pool}. */
    public static void useDatabase(SessionHandler handler, DataSource pool) {
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        adaptor.setDatasource(pool);
        // Jetty reads a "blob" column with ResultSet.getBlob, which sqlite-jdbc does not have; with "bytea" it uses
        // getBytes, which both drivers have. The type name is used for nothing else: V103 made the table.
        adaptor.setBlobType("bytea");

        JDBCSessionDataStore.SessionTableSchema schema = new JDBCSessionDataStore.SessionTableSchema();
        schema.setTableName("web_sessions");
        schema.setIdColumn("session_id");
        schema.setContextPathColumn("context_path");
        schema.setVirtualHostColumn("virtual_host");
        schema.setLastNodeColumn("last_node");
        schema.setAccessTimeColumn("access_time");
        schema.setLastAccessTimeColumn("last_access_time");
        schema.setCreateTimeColumn("create_time");
        schema.setCookieTimeColumn("cookie_time");
        schema.setLastSavedTimeColumn("last_saved_time");
        schema.setExpiryTimeColumn("expiry_time");
        schema.setMaxIntervalColumn("max_interval");
        schema.setMapColumn("attributes");

        JDBCSessionDataStore store = new JDBCSessionDataStore();
        store.setDatabaseAdaptor(adaptor);
        store.setSessionTableSchema(schema);
        store.setSavePeriodSec(SAVE_PERIOD_SECONDS);

        NullSessionCache cache = new NullSessionCache(handler);
        cache.setSessionDataStore(store);
        cache.setFlushOnResponseCommit(true);
        cache.setRemoveUnloadableSessions(true);
        handler.setSessionCache(cache);
    }
}
