package jp.kitamoto.lists.store;

import jp.kitamoto.lists.testing.TestDatabases;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The migrations on PostgreSQL (each test in a new schema), and the lock that several nodes starting at once need. */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class PostgresMigrationsTest extends MigrationsTest {
    static final String SLOW = "classpath:db/test-migrations/slow";

    @Override
    String freshUrl(Path dir) {
        return TestDatabases.freshPostgresSchemaUrl();
    }

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /**
     * Two nodes start at the same moment on one fresh database, each with its own connections: both start up, and
     * every script ran once. A third connection sees Flyway's advisory lock held while the slow script runs (it is
     * what makes the second node wait instead of running the same script).
     */
    @Test
    void twoNodesMigratingAtOnceBothSucceedAndEachScriptRunsOnce() throws Exception {
        DataSource nodeA = TestDatabases.unpooled(url);
        DataSource nodeB = TestDatabases.unpooled(url);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> locksSeen = java.util.Collections.synchronizedList(new ArrayList<>()); // filled by the poller
        try {
            Future<MigrateResult> a = pool.submit(() -> {
                start.await();
                return Migrations.apply(nodeA, Dialect.POSTGRESQL, Migrations.LOCATION, SLOW);
            });
            Future<MigrateResult> b = pool.submit(() -> {
                start.await();
                return Migrations.apply(nodeB, Dialect.POSTGRESQL, Migrations.LOCATION, SLOW);
            });
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                // Samples the advisory locks every 20 ms until both nodes are done (a condition, not a pause).
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                    try (ResultSet rs = s.executeQuery("SELECT granted FROM pg_locks WHERE locktype = 'advisory' "
                            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                        while (rs.next()) {
                            locksSeen.add(rs.getBoolean(1) ? "held" : "waiting");
                        }
                    }
                    return a.isDone() && b.isDone();
                });
            }
            MigrateResult ra = a.get(60, TimeUnit.SECONDS);
            MigrateResult rb = b.get(60, TimeUnit.SECONDS);

            List<Integer> all = new ArrayList<>(executed(ra));
            all.addAll(executed(rb));
            assertThat(all).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 70);
            assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok", "5 ok", "6 ok", "7 ok", "8 ok", "9 ok", "10 ok", "12 ok", "70 ok");
            assertThat(query("SELECT COUNT(*) FROM lock_test_marker")).containsExactly("0");
            assertThat(locksSeen).contains("held");
        } finally {
            pool.shutdownNow();
        }
    }
}
