package jp.kitamoto.lists.testing;

import jp.kitamoto.lists.store.Dialect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The hand-written migrator that came before Flyway (issue #9), kept verbatim except that the scripts are named by
 * the caller instead of index.txt: it builds databases exactly as existing installations have them (table
 * {@code schema_migrations}, versions V001...), so the tests can check that such a database upgrades.
 */
public final class LegacyMigrations {
    private LegacyMigrations() {
    }

    /**
     * Applies the named scripts that are not yet recorded: a bare name is looked up in {@code db/migration/} on the
     * classpath as before, a name with a folder is a classpath resource path (test-only scripts).
     */
    public static void apply(DataSource dataSource, Dialect dialect, String... scriptNames) {
        List<String> scripts = new ArrayList<>(Arrays.asList(scriptNames));
        scripts.sort(java.util.Comparator.comparing(n -> n.substring(n.lastIndexOf('/') + 1))); // in name order, as before
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR(64) PRIMARY KEY, "
                        + "applied_at BIGINT NOT NULL)");
            }
            Set<String> applied = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations")) {
                while (rs.next()) {
                    applied.add(rs.getString(1));
                }
            }
            for (String script : scripts) {
                String name = script.substring(script.lastIndexOf('/') + 1);
                String version = name.substring(0, name.indexOf("__"));
                if (applied.contains(version)) {
                    continue;
                }
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String sql : statements(read(script.contains("/") ? script : "db/migration/" + script), dialect)) {
                        s.execute(sql);
                    }
                    s.executeUpdate("INSERT INTO schema_migrations (version, applied_at) VALUES ('" + version + "', "
                            + System.currentTimeMillis() + ")");
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw new IllegalStateException("schema migration " + script + " failed: " + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply schema migrations: " + e.getMessage(), e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = LegacyMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Strips comments, fills in the dialect's type names and splits on the semicolons that end statements. */
    static List<String> statements(String script, Dialect dialect) {
        String body = script.lines().map(l -> {
            int dash = l.indexOf("--");
            return dash >= 0 ? l.substring(0, dash) : l;
        }).collect(Collectors.joining("\n"));
        body = body.replace("${id}", dialect.identityColumn())
                .replace("${blob}", dialect.blobType())
                .replace("${text}", dialect.textType());
        List<String> out = new ArrayList<>();
        for (String part : body.split(";\\s*(\n|$)")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
