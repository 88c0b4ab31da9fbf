package jp.kitamoto.lists.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Versioned schema migrations by Flyway, applied at start-up and recorded in {@code flyway_schema_history}.
 *
 * <p>Every module keeps its scripts beside its code in {@value #LOCATION} ({@code V<n>__description.sql}); Flyway
 * finds that folder in every jar and classes directory on the classpath, so core never lists the web's or the
 * schedules' tables. Versions are numbered in ranges per module (core 1–99, admin-web 101–199, schedules 200–299),
 * which is why {@code outOfOrder} is on: a new core script (V004) is newer work than an applied V200.
 *
 * <p>Each script is written once for both databases; the few type names that differ are Flyway placeholders
 * ({@code id}, {@code blob}, {@code text}) whose values come from {@link Dialect}. The one exception is a script
 * whose SQL differs entirely per database: it is written twice, in {@link #dialectLocation}.
 *
 * <p>On PostgreSQL Flyway holds an advisory lock while it migrates, so several nodes starting at once apply each
 * script exactly once (the others wait, then find it applied). SQLite is one file used by one process.
 *
 * <p>Databases made before Flyway carry the hand-written migrator's table {@value #LEGACY_TABLE} instead; its
 * history is adopted once (see {@link #adoptLegacyHistory}), so nothing that ran is run again.
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    /** The one classpath folder every module puts its scripts in. */
    public static final String LOCATION = "classpath:db/migration";
    /** The table of the migrator used before Flyway (versions V001, V002, ... as text). Kept, never written again. */
    static final String LEGACY_TABLE = "schema_migrations";

    private Migrations() {
    }

    /**
     * The folder of the few scripts written per database ({@code db/dialect/sqlite}, {@code db/dialect/postgresql}):
     * for what the two databases do in entirely different ways (the archive's text index, V009), where placeholders
     * would not do. Outside {@value #LOCATION}, because Flyway searches a location's subfolders too.
     */
    public static String dialectLocation(Dialect dialect) {
        return "classpath:db/dialect/" + dialect.databaseId();
    }

    /** Migrates the database to the newest version the classpath holds, or throws with the reason. */
    public static MigrateResult apply(DataSource dataSource, Dialect dialect) {
        return apply(dataSource, dialect, LOCATION);
    }

    /** As {@link #apply(DataSource, Dialect)} with other script folders (tests add broken or newer scripts). */
    static MigrateResult apply(DataSource dataSource, Dialect dialect, String... locations) {
        FluentConfiguration config = configuration(dataSource, dialect, locations);
        try {
            adoptLegacyHistory(dataSource, config);
            MigrateResult result = config.load().migrate();
            log.info("schema migrations: {} applied now{}, database at version {}", result.migrationsExecuted,
                    result.migrations.isEmpty() ? "" : result.migrations.stream()
                            .map(m -> "V" + m.version + " " + m.description)
                            .collect(Collectors.joining(", ", " (", ")")),
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion);
            return result;
        } catch (FlywayException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }

    static FluentConfiguration configuration(DataSource dataSource, Dialect dialect, String... locations) {
        String[] all = Arrays.copyOf(locations, locations.length + 1);
        all[locations.length] = dialectLocation(dialect);
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(all)
                .placeholders(Map.of("id", dialect.identityColumn(), "blob", dialect.blobType(),
                        "text", dialect.textType()))
                // Module ranges (see the class comment): a lower version that appears later is still applied.
                .outOfOrder(true)
                // A jar built without its db/migration folder must stop start-up, not leave tables missing.
                .failOnMissingLocations(true);
    }

    /**
     * Records the versions the old migrator applied in Flyway's history without running them again, and runs the
     * scripts it had not applied, in version order. Not simply a baseline at the highest old version: a database
     * made between commits could hold V101 and V200 but not V002/V003 (they were written later), and a baseline at
     * 200 would silently skip those two forever. Each step is "migrate up to version v" (skipping execution when the
     * old table lists v), so the steps are idempotent and safe when several nodes do them at once: under the lock
     * each finds what another already recorded. Does nothing once Flyway's history holds every old version.
     */
    private static void adoptLegacyHistory(DataSource dataSource, FluentConfiguration config) {
        Set<MigrationVersion> legacy = legacyVersions(dataSource);
        if (legacy.isEmpty()) {
            return;
        }
        MigrationVersion newestLegacy = Collections.max(legacy);
        MigrationInfo[] known = config.load().info().all();
        Set<MigrationVersion> recorded = Arrays.stream(known).filter(i -> i.getState().isApplied())
                .map(MigrationInfo::getVersion).filter(Objects::nonNull).collect(Collectors.toSet());
        List<MigrationVersion> steps = Arrays.stream(known).map(MigrationInfo::getVersion).filter(Objects::nonNull)
                .filter(v -> v.compareTo(newestLegacy) <= 0 && !recorded.contains(v))
                .distinct().sorted().toList();
        if (steps.isEmpty()) {
            return;
        }
        log.info("adopting the {} table into Flyway's history: versions {} were applied before, {} were not",
                LEGACY_TABLE, steps.stream().filter(legacy::contains).toList(),
                steps.stream().filter(v -> !legacy.contains(v)).toList());
        for (MigrationVersion v : steps) {
            new FluentConfiguration(Migrations.class.getClassLoader()).configuration(config)
                    .target(v).skipExecutingMigrations(legacy.contains(v)).load().migrate();
        }
    }

    /** The versions in the old migrator's table of the current schema, none if there is no such table. */
    private static Set<MigrationVersion> legacyVersions(DataSource dataSource) {
        Set<MigrationVersion> versions = new TreeSet<>();
        try (Connection c = dataSource.getConnection()) {
            // The current schema only: PostgreSQL tests keep many schemas with the same tables in one database.
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), LEGACY_TABLE, new String[] {"TABLE"})) {
                if (!rs.next()) {
                    return versions;
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM " + LEGACY_TABLE)) {
                while (rs.next()) {
                    // "V001" in the old table is Flyway's version 1 (Flyway compares versions as numbers).
                    versions.add(MigrationVersion.fromVersion(rs.getString(1).replaceFirst("^[Vv]", "")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the old " + LEGACY_TABLE + " table: " + e.getMessage(), e);
        }
        return versions;
    }
}
