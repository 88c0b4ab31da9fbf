package jp.kitamoto.lists.app.monitoring;

import org.apache.ibatis.annotations.Select;

import java.util.List;
import java.util.Map;

/**
 * The counts the metrics and the readiness check read, as annotated SQL that is the same on SQLite and PostgreSQL.
 * Rows of {@code state, n} (aliases in lower case: PostgreSQL folds unquoted names, SQLite keeps them).
 */
public interface MonitoringMapper {
    @Select("SELECT state AS state, COUNT(*) AS n FROM posts GROUP BY state")
    List<Map<String, Object>> postsByState();

    @Select("SELECT state AS state, COUNT(*) AS n FROM deliveries GROUP BY state")
    List<Map<String, Object>> deliveriesByState();

    /** Copies still pending after at least one failed attempt (a 4xx or no connection): deferred. */
    @Select("SELECT COUNT(*) FROM deliveries WHERE state = 'PENDING' AND attempts > 0")
    long deferredDeliveries();

    @Select("SELECT MIN(created_at) FROM deliveries WHERE state = 'PENDING'")
    Long oldestPendingCreatedAt();

    /** Mail received at the -bounces+token addresses (every bounce, counted or not). */
    @Select("SELECT COUNT(*) FROM inbound_commands WHERE command = 'BOUNCES'")
    long bouncesReceived();

    @Select("SELECT COUNT(*) FROM subscriptions WHERE state = 'SUSPENDED' AND bounce_score > 0")
    long suspendedByBounces();

    @Select("SELECT state AS state, COUNT(*) AS n FROM sched_sends GROUP BY state")
    List<Map<String, Object>> scheduledSendsByState();

    @Select("SELECT 1")
    int ping();

    /** Flyway records a failed script with success = false (PostgreSQL only; SQLite rolls it back and stops). */
    @Select("SELECT COUNT(*) FROM flyway_schema_history WHERE success = FALSE")
    long failedMigrations();

    @Select("SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE")
    long appliedMigrations();
}
