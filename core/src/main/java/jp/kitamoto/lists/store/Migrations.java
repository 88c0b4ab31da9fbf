package jp.kitamoto.lists.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Versioned schema migrations, applied in order at start-up, each in its own transaction and recorded in
 * {@code schema_migrations}. Scripts are listed in {@code db/migration/index.txt}, so that modules can add their
 * own tables (web, schedules) without this class knowing them. Each script is written once for both databases;
 * the few type names that differ are placeholders.
 */
public final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final String INDEX = "db/migration/index.txt";

    private Migrations() {
    }

    public static void apply(DataSource dataSource, Dialect dialect) {
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
            for (String script : scripts()) {
                String version = script.substring(0, script.indexOf("__"));
                if (applied.contains(version)) {
                    continue;
                }
                log.info("applying schema migration {}", script);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String sql : statements(read("db/migration/" + script), dialect)) {
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

    /** Script names from every {@code index.txt} on the classpath, in version order. */
    static List<String> scripts() {
        List<String> names = new ArrayList<>();
        try {
            var urls = Migrations.class.getClassLoader().getResources(INDEX);
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                            .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list schema migrations", e);
        }
        names.sort(null);
        return names;
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
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
