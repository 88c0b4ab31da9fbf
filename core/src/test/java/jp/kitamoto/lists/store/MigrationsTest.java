package jp.kitamoto.lists.store;

import jp.kitamoto.lists.testing.LegacyMigrations;
import jp.kitamoto.lists.testing.TestDatabases;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway over core's scripts, on a database of each kind (subclasses): a fresh database, one made by the old
 * migrator (table schema_migrations) and upgraded, scripts that appear out of version order, and a failing script.
 * Scripts under db/test-migrations exist for these tests only. The upgrade with every module's scripts (V101, V200)
 * is tested in app's LegacyDatabaseUpgradeTest, where all of them are on the classpath.
 */
abstract class MigrationsTest {
    static final String NEWER = "classpath:db/test-migrations/newer";
    static final String LATER = "classpath:db/test-migrations/later";
    static final String BROKEN = "classpath:db/test-migrations/broken";

    @TempDir
    Path dir;
    String url;
    DataSource ds;

    abstract String freshUrl(Path dir);

    abstract Dialect dialect();

    @BeforeEach
    void fresh() {
        url = freshUrl(dir);
        ds = TestDatabases.unpooled(url);
    }

    @Test
    void aFreshDatabaseGetsEveryScriptOnce() throws SQLException {
        MigrateResult first = Migrations.apply(ds, dialect());
        MigrateResult second = Migrations.apply(ds, dialect());

        assertThat(executed(first)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12);
        assertThat(second.migrationsExecuted).isZero();
        assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok", "5 ok", "6 ok", "7 ok", "8 ok", "9 ok", "10 ok", "12 ok");
        // The placeholders were filled in: the identity column numbers rows on its own, the blob keeps bytes.
        update("INSERT INTO lists (local_part, display_name, description, category, kind, policy, archive_visibility, "
                + "subject_tag, footer, created_at, updated_at) VALUES ('bunka', '文化', '', 'GENERAL', 'PURPOSE', "
                + "'DISCUSSION', 'PUBLIC', 'bunka', '', 0, 0)");
        assertThat(query("SELECT id FROM lists")).containsExactly("1");
    }

    @Test
    void anOldDatabaseIsAdoptedWithoutRunningAnythingAgainKeepsItsDataAndGetsNewerScripts() throws SQLException {
        LegacyMigrations.apply(ds, dialect(), "V001__lists_members_posts_deliveries.sql",
                "V002__pending_deliveries_index.sql", "V003__bounce_dates.sql");
        update("INSERT INTO lists (local_part, display_name, description, category, kind, policy, archive_visibility, "
                + "subject_tag, footer, created_at, updated_at) VALUES ('bunka', '教育・文化・生涯学習・スポーツ', '', "
                + "'EDUCATION_CULTURE', 'PURPOSE', 'DISCUSSION', 'PUBLIC', 'bunka', '', 0, 0)");

        // Running V001 again would fail (CREATE TABLE lists exists), so success means nothing old ran again.
        MigrateResult upgrade = Migrations.apply(ds, dialect(), Migrations.LOCATION, NEWER);
        MigrateResult again = Migrations.apply(ds, dialect(), Migrations.LOCATION, NEWER);

        assertThat(executed(upgrade)).containsExactly(4, 5, 6, 7, 8, 9, 10, 12, 50);
        assertThat(again.migrationsExecuted).isZero();
        assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok", "5 ok", "6 ok", "7 ok", "8 ok", "9 ok", "10 ok", "12 ok", "50 ok");
        assertThat(query("SELECT display_name || '/' || COALESCE(upgrade_test_note, '-') FROM lists"))
                .containsExactly("教育・文化・生涯学習・スポーツ/-");
        // The old table stays as it was (an older binary started by mistake then finds nothing to do).
        assertThat(query("SELECT version FROM schema_migrations ORDER BY version")).containsExactly("V001", "V002", "V003");
    }

    @Test
    void anOldDatabaseMissingScriptsBelowItsNewestGetsThemAndOnlyThem() throws SQLException {
        // As a database made when V101 and V200 existed but V002 and V003 did not yet: here V050 plays their part.
        LegacyMigrations.apply(ds, dialect(), "V001__lists_members_posts_deliveries.sql",
                "db/test-migrations/newer/V050__upgrade_test_note.sql");

        MigrateResult upgrade = Migrations.apply(ds, dialect(), Migrations.LOCATION, NEWER);

        // V002 and V003 ran (a baseline at 50 would have skipped them for ever); V001 and V050 did not run again.
        assertThat(executed(upgrade)).isEmpty();
        assertThat(history()).containsExactly("1 ok", "2 ok", "3 ok", "4 ok", "5 ok", "6 ok", "7 ok", "8 ok", "9 ok", "10 ok", "12 ok", "50 ok");
        assertThat(query("SELECT COUNT(last_bounce_at) FROM subscriptions")).containsExactly("0");
        assertThat(indexes()).contains("deliveries_pending").doesNotContain("deliveries_due");
    }

    @Test
    void aLowerVersionThatAppearsAfterAHigherOneIsStillApplied() throws SQLException {
        Migrations.apply(ds, dialect(), Migrations.LOCATION, NEWER);

        MigrateResult later = Migrations.apply(ds, dialect(), Migrations.LOCATION, NEWER, LATER);

        assertThat(executed(later)).containsExactly(40);
        assertThat(query("SELECT COUNT(*) FROM added_after_v050")).containsExactly("0");
    }

    @Test
    void aFailingScriptStopsWithItsNameAndTheDatabaseErrorAndLeavesNoHalfOfIt() throws SQLException {
        assertThatThrownBy(() -> Migrations.apply(ds, dialect(), Migrations.LOCATION, BROKEN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("schema migration failed: ")
                .hasMessageContaining("V060__broken_for_test.sql")
                .hasMessageContaining("no_such_table_for_test");
        // Each script is one transaction: its first statement was rolled back with it; the scripts before it stay.
        assertThat(tables()).contains("lists").doesNotContain("broken_for_test");
    }

    @Test
    void openingADatabaseThatHoldsOtherTablesButNoHistoryStopsWithTheReason() throws SQLException {
        // Not ours, or ours with its history lost: migrating over it could clash with what is there, so refuse.
        update("CREATE TABLE someone_elses (id INTEGER)");

        assertThatThrownBy(() -> Database.open(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword(), 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("schema migration failed: ")
                .hasMessageContaining("non-empty schema")
                .hasMessageContaining("no schema history table");
        assertThat(tables()).containsExactly("someone_elses");
    }

    List<Integer> executed(MigrateResult result) {
        return result.migrations.stream().map(m -> Integer.parseInt(m.version)).toList();
    }

    /** Flyway's history of versioned scripts: "version ok|FAILED" in the order they were recorded. */
    List<String> history() throws SQLException {
        return query("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")
                .stream().map(row -> {
                    String[] parts = row.split("\\|");
                    boolean ok = parts[1].equals("1") || parts[1].equals("t") || parts[1].equals("true");
                    return Integer.parseInt(parts[0]) + (ok ? " ok" : " FAILED");
                }).toList();
    }

    List<String> tables() throws SQLException {
        return dialect() == Dialect.SQLITE ? query("SELECT name FROM sqlite_master WHERE type = 'table'")
                : query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
    }

    List<String> indexes() throws SQLException {
        return dialect() == Dialect.SQLITE ? query("SELECT name FROM sqlite_master WHERE type = 'index'")
                : query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()");
    }

    void update(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** Every row of the query, its columns joined with "|". */
    List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(rs.getString(i));
                }
                rows.add(String.join("|", cols));
            }
        }
        return rows;
    }
}
