package jp.kitamoto.lists.testing;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;

import java.nio.file.Path;

/** A fresh SQLite file with the production schema (migrations), for one test class. */
public final class TestDatabases {
    /** A PostgreSQL database the tests may create schemas in, e.g. jdbc:postgresql://127.0.0.1/lists_test. */
    public static final String POSTGRES_URL_ENV = "KITAMOTO_TEST_POSTGRES_URL";

    private TestDatabases() {
    }

    /** Delivery rows still pending in the database a (possibly other-process) server uses. */
    public static long pendingDeliveries(Settings settings) {
        try (Database db = Database.open(settings)) {
            return db.read(s -> s.getMapper(DeliveryMapper.class).countPending());
        }
    }

    /**
     * A fresh, migrated PostgreSQL schema of its own (so test classes never share tables), in the database named by
     * {@value #POSTGRES_URL_ENV}; user and password from KITAMOTO_TEST_POSTGRES_USER / _PASSWORD.
     */
    public static Database freshPostgres() {
        return Database.open(freshPostgresSchemaUrl(), postgresUser(), postgresPassword(), 4);
    }

    /** The URL of a new, empty schema (nothing migrated) in the test database: for tests of the migrations. */
    public static String freshPostgresSchemaUrl() {
        String url = System.getenv(POSTGRES_URL_ENV);
        String schema = "t_" + jp.kitamoto.lists.service.Tokens.newToken();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, postgresUser(), postgresPassword());
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + url + ": " + e.getMessage(), e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static String postgresUser() {
        return System.getenv().getOrDefault("KITAMOTO_TEST_POSTGRES_USER", "lists");
    }

    public static String postgresPassword() {
        return System.getenv().getOrDefault("KITAMOTO_TEST_POSTGRES_PASSWORD", "lists");
    }

    /** A connection source without a pool, as Flyway and the old migrator get it: each call a new connection. */
    public static javax.sql.DataSource unpooled(String url) {
        return url.startsWith("jdbc:postgresql:")
                ? new org.apache.ibatis.datasource.unpooled.UnpooledDataSource("org.postgresql.Driver", url,
                        postgresUser(), postgresPassword())
                : new org.apache.ibatis.datasource.unpooled.UnpooledDataSource("org.sqlite.JDBC", url, null, null);
    }

    public static Database freshSqlite(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Database.open("jdbc:sqlite:" + dir.resolve("test.db"), "", "", 4);
    }
}
