package jp.kitamoto.lists.app;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.Dialect;
import jp.kitamoto.lists.testing.LegacyMigrations;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Databases made by the migrator used before Flyway (table schema_migrations) start on the new one, with every
 * module's scripts on the classpath as in the server: nothing runs twice, data survives, scripts the old database
 * lacks run, and Flyway builds exactly the schema the old migrator built. On SQLite always, on PostgreSQL when
 * {@value TestDatabases#POSTGRES_URL_ENV} is set.
 */
class LegacyDatabaseUpgradeTest {
    static final String[] ALL_OLD_SCRIPTS = {"V001__lists_members_posts_deliveries.sql",
        "V002__pending_deliveries_index.sql", "V003__bounce_dates.sql", "V101__web_staff_audit.sql",
        "V200__sched_notices_calls_sends.sql"};
    static final String[] SCRIPTS_SINCE_FLYWAY = {"V004__from_rewrite.sql", "V005__post_defects.sql",
        "V006__subscription_delivery_choice.sql", "V007__delivery_claims.sql", "V008__list_digests.sql",
        "V010__member_language.sql", "V012__post_failures_reported.sql",
        "V102__api_tokens.sql", "V103__shared_web_state.sql", "V104__member_sign_in.sql",
        "V201__quartz_cluster_tables.sql", "V203__digest_runs.sql"};
    static final List<String> ALL_VERSIONS = List.of("1 ok", "2 ok", "3 ok", "4 ok", "5 ok", "6 ok", "7 ok", "8 ok", "9 ok", "10 ok", "12 ok",
            "101 ok", "102 ok", "103 ok", "104 ok", "200 ok", "201 ok", "203 ok");
    /** Scripts written per database (Migrations.dialectLocation), applied the old way on top as well. */
    static final String[] DIALECT_SCRIPTS_SINCE_FLYWAY = {"V009__archive_search.sql"};

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anOldInstallationStartsWithItsDataAndNothingRunsTwice(Dialect dialect) throws Exception {
        String url = freshUrl(dialect);
        DataSource ds = TestDatabases.unpooled(url);
        LegacyMigrations.apply(ds, dialect, ALL_OLD_SCRIPTS);
        update(ds, "INSERT INTO lists (local_part, display_name, description, category, kind, policy, "
                + "archive_visibility, subject_tag, footer, created_at, updated_at) VALUES ('bunka', "
                + "'教育・文化（旧データ）', '', 'EDUCATION_CULTURE', 'PURPOSE', 'DISCUSSION', 'PUBLIC', 'bunka', '', 0, 0)");
        update(ds, "INSERT INTO web_staff (username, display_name, password_hash, role, created_at, updated_at) "
                + "VALUES ('tanaka', '田中', 'x', 'OWNER', 0, 0)");
        update(ds, "INSERT INTO sched_calls (title, opens_at, deadline_at, reminder_offsets, reminder_time, link, "
                + "state, created_at, updated_at) VALUES ('協働事業提案 2027年度', 0, 1, '14,7', '09:00', '', 'OPEN', 0, 0)");

        // The whole server on it (its start runs the migrations first): re-running any old script would fail on
        // CREATE TABLE of a table that exists.
        try (Application app = Application.start(settings(dialect, url), false)) {
            assertThat(app.lists().byLocalPart("bunka").orElseThrow().displayName()).isEqualTo("教育・文化（旧データ）");
        }

        assertThat(history(ds)).containsExactlyElementsOf(ALL_VERSIONS);
        assertThat(query(ds, "SELECT display_name FROM web_staff WHERE username = 'tanaka'")).containsExactly("田中");
        assertThat(query(ds, "SELECT title FROM sched_calls")).containsExactly("協働事業提案 2027年度");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anInstallationFromBeforeV002AndV003GetsThemAndOnlyThem(Dialect dialect) throws Exception {
        String url = freshUrl(dialect);
        DataSource ds = TestDatabases.unpooled(url);
        // V101 and V200 were written before V002 and V003; a database of that time holds them without the other two.
        LegacyMigrations.apply(ds, dialect, "V001__lists_members_posts_deliveries.sql", "V101__web_staff_audit.sql",
                "V200__sched_notices_calls_sends.sql");

        try (Database db = Database.open(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword(), 2)) {
            assertThat(db.dialect()).isEqualTo(dialect);
        }

        assertThat(history(ds)).containsExactlyElementsOf(ALL_VERSIONS);
        assertThat(schema(ds, dialect)).isEqualTo(schema(oldMigratorSchema(dialect), dialect));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void flywayBuildsTheSameSchemaAsTheOldMigrator(Dialect dialect) throws Exception {
        String url = freshUrl(dialect);
        try (Database db = Database.open(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword(), 2)) {
            assertThat(db.dialect()).isEqualTo(dialect);
        }
        DataSource ds = TestDatabases.unpooled(url);

        assertThat(history(ds)).containsExactlyElementsOf(ALL_VERSIONS);
        List<String> schema = schema(ds, dialect);
        assertThat(schema).isEqualTo(schema(oldMigratorSchema(dialect), dialect));
        // Not vacuous: the comparison covers the tables and indexes of every module.
        assertThat(String.join("\n", schema)).contains("deliveries_pending", "web_audit_log_by_list",
                "sched_sends_by_state_due", "last_bounce_at");
    }

    private DataSource oldMigratorSchema(Dialect dialect) {
        String url = dialect == Dialect.SQLITE ? "jdbc:sqlite:" + dataDir.resolve("old.db")
                : TestDatabases.freshPostgresSchemaUrl();
        DataSource ds = TestDatabases.unpooled(url);
        LegacyMigrations.apply(ds, dialect, ALL_OLD_SCRIPTS);
        // Scripts written after the switch to Flyway, applied the old way on top: the schema must be the same.
        LegacyMigrations.apply(ds, dialect, SCRIPTS_SINCE_FLYWAY);
        LegacyMigrations.apply(ds, dialect, java.util.Arrays.stream(DIALECT_SCRIPTS_SINCE_FLYWAY)
                .map(n -> "db/dialect/" + dialect.databaseId() + "/" + n).toArray(String[]::new));
        return ds;
    }

    private String freshUrl(Dialect dialect) {
        if (dialect == Dialect.SQLITE) {
            return "jdbc:sqlite:" + dataDir.resolve("lists.db"); // where the server's default settings look
        }
        assumeTrue(System.getenv(TestDatabases.POSTGRES_URL_ENV) != null,
                TestDatabases.POSTGRES_URL_ENV + " is not set: no PostgreSQL here");
        return TestDatabases.freshPostgresSchemaUrl();
    }

    private Settings settings(Dialect dialect, String url) throws Exception {
        int smarthostPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            smarthostPort = probe.getLocalPort(); // nothing is posted: no copy goes to the smarthost
        }
        return dialect == Dialect.SQLITE ? TestSettings.forTest(dataDir, smarthostPort)
                : TestSettings.forTest(dataDir, smarthostPort, Map.of("KITAMOTO_DATABASE__URL", url,
                        "KITAMOTO_DATABASE__USERNAME", TestDatabases.postgresUser(),
                        "KITAMOTO_DATABASE__PASSWORD", TestDatabases.postgresPassword()));
    }

    /**
     * Everything the migrations define, excluding the two history tables, in a form both migrators can be compared
     * by. SQLite keeps each table's and index's DDL text: compared without comments (the old migrator cut them
     * out, Flyway sends them) and with spaces collapsed. PostgreSQL: columns, constraints and index definitions.
     */
    static List<String> schema(DataSource ds, Dialect dialect) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            return query(ds, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                    + "AND tbl_name NOT IN ('flyway_schema_history', 'schema_migrations') ORDER BY type, name")
                    .stream().map(row -> row.replaceAll("--[^\n]*", "").replaceAll("\\s+", " ")
                            .replace("( ", "(").replace(" )", ")")).toList();
        }
        String notHistory = " NOT IN ('flyway_schema_history', 'schema_migrations')";
        List<String> out = new ArrayList<>();
        out.addAll(query(ds, "SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, "
                + "is_nullable, column_default, is_identity, identity_generation FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name" + notHistory + " ORDER BY 1, 3"));
        out.addAll(query(ds, "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
                + "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace "
                + "AND conrelid::regclass::text" + notHistory + " ORDER BY 1, 2"));
        out.addAll(query(ds, "SELECT tablename, indexname, replace(indexdef, current_schema() || '.', '') "
                + "FROM pg_indexes WHERE schemaname = current_schema() AND tablename" + notHistory + " ORDER BY 1, 2"));
        return out;
    }

    /** Flyway's history of versioned scripts: "version ok|FAILED" in the order they were recorded. */
    static List<String> history(DataSource ds) throws SQLException {
        return query(ds, "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL "
                + "ORDER BY installed_rank").stream().map(row -> {
                    String[] parts = row.split("\\|");
                    boolean ok = parts[1].equals("1") || parts[1].equals("t") || parts[1].equals("true");
                    return Integer.parseInt(parts[0]) + (ok ? " ok" : " FAILED");
                }).toList();
    }

    static void update(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** Every row of the query, its columns joined with "|". */
    static List<String> query(DataSource ds, String sql) throws SQLException {
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
