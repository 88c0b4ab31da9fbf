package jp.kitamoto.lists.app.ops;

import jp.kitamoto.lists.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Online backups of the embedded SQLite database and their restore.
 *
 * <p>A backup is {@code VACUUM INTO} a temporary file on a connection of its own: SQLite runs it inside one read
 * transaction, so the copy is the database as of one commit, while the server goes on writing (WAL readers do not
 * block writers). The copy is checked ({@code PRAGMA quick_check}), gzip-compressed and moved into place under its
 * final name only when complete, so a backup folder never holds a half-written file with a backup's name. Then the
 * oldest backups beyond {@code backup.keep} are deleted.
 *
 * <p>A restore takes the {@link ServerLock} first (so it refuses while a server runs, and no server starts while it
 * works), checks the file, and moves the database it replaces (with its {@code -wal} and {@code -shm}, which may hold
 * committed transactions of a server that was killed) aside under {@code <file>.replaced-<time>}.
 */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    private static final Pattern BACKUP_NAME = Pattern.compile("lists-\\d{8}-\\d{6}-\\d{3}\\.db\\.gz");
    /** What {@code backup} says on PostgreSQL, where a file copy is not how a database is backed up. */
    public static final String POSTGRES_ADVICE = "database.url is PostgreSQL: back it up with pg_dump, e.g. "
            + "pg_dump -Fc -f lists.dump <database>, and restore with pg_restore (see README, Operating)";

    private Backups() {
    }

    /** Thrown for what the operator must change (a running server, a file that is not a backup, PostgreSQL). */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    public record BackupResult(Path file, long bytes, List<Path> deleted) {
    }

    public record RestoreResult(Path database, Optional<Path> replacedKeptAs) {
    }

    /** Refuses settings asking for a daily backup that cannot happen (PostgreSQL), naming the setting. */
    public static void checkSettings(Settings settings) {
        if (!settings.backup().dailyAt().isEmpty() && sqliteFile(settings).isEmpty()) {
            // A daily backup that silently never happens would be found out on the day it is needed.
            throw new jp.kitamoto.lists.config.ConfigException("backup.daily-at is set, but " + POSTGRES_ADVICE);
        }
    }

    /** The SQLite file the settings name, or empty on PostgreSQL (and for an in-memory SQLite database). */
    public static Optional<Path> sqliteFile(Settings settings) {
        String url = settings.database().url();
        if (url.isEmpty()) {
            return Optional.of(settings.server().dataPath().resolve("lists.db"));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            String path = url.substring("jdbc:sqlite:".length());
            int q = path.indexOf('?');
            path = q >= 0 ? path.substring(0, q) : path;
            if (path.startsWith("file:")) {
                path = path.substring("file:".length());
            }
            return path.isEmpty() || path.contains(":memory:") ? Optional.empty() : Optional.of(Path.of(path));
        }
        return Optional.empty();
    }

    private static Path requireSqlite(Settings settings) {
        return sqliteFile(settings).orElseThrow(() -> new RefusedException(
                settings.database().url().startsWith("jdbc:postgresql:") ? POSTGRES_ADVICE
                        : "database.url names no SQLite file to back up"));
    }

    /** Takes a backup into {@code toDir} (else {@code backup.dir}, else {@code <data-dir>/backups}) and applies the retention. */
    public static BackupResult backup(Settings settings, Optional<Path> toDir, Clock clock) {
        Path db = requireSqlite(settings);
        if (!Files.isRegularFile(db)) {
            throw new RefusedException("there is no database at " + db.toAbsolutePath() + " yet");
        }
        Path dir = toDir.orElseGet(() -> settings.backup().path(settings.server()));
        try {
            Files.createDirectories(dir);
            String name = "lists-" + STAMP.format(clock.instant().atZone(JAPAN)) + ".db.gz";
            Path target = dir.resolve(name);
            Path raw = dir.resolve("." + name + ".vacuum");
            Path part = dir.resolve("." + name + ".part");
            Files.deleteIfExists(raw);
            try {
                try (Connection c = open(db); Statement s = c.createStatement()) {
                    s.execute("VACUUM INTO '" + raw.toAbsolutePath().toString().replace("'", "''") + "'");
                }
                check(raw, "the copy just taken");
                try (InputStream in = Files.newInputStream(raw);
                     OutputStream out = new GZIPOutputStream(Files.newOutputStream(part), 1 << 16)) {
                    in.transferTo(out);
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(raw);
                Files.deleteIfExists(part);
            }
            List<Path> deleted = prune(dir, settings.backup().keep());
            long bytes = Files.size(target);
            log.info("backup of {} written to {} ({} bytes); {} old backups deleted", db, target, bytes, deleted.size());
            return new BackupResult(target, bytes, deleted);
        } catch (IOException e) {
            throw new UncheckedIOException("backup into " + dir.toAbsolutePath() + " failed: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("backup of " + db + " failed: " + e.getMessage(), e);
        }
    }

    /** The backups in a folder, oldest first (their names sort by time). */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (BACKUP_NAME.matcher(f.getFileName().toString()).matches()) {
                    out.add(f);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static List<Path> prune(Path dir, int keep) throws IOException {
        List<Path> all = list(dir);
        List<Path> deleted = new ArrayList<>();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
            deleted.add(all.get(i));
        }
        return deleted;
    }

    /**
     * Replaces the database with a backup (gzip-compressed or a plain SQLite file). Refuses while a server holds the
     * database ({@link ServerLock}); keeps the replaced file aside.
     */
    public static RestoreResult restore(Settings settings, Path backup, Clock clock) {
        Path db = requireSqlite(settings);
        if (!Files.isRegularFile(backup)) {
            throw new RefusedException("no such file: " + backup);
        }
        ServerLock lock;
        try {
            lock = ServerLock.acquire(db, "restore from " + backup);
        } catch (ServerLock.HeldException e) {
            throw new RefusedException("a server is running on this database (" + e.getMessage()
                    + "); stop it first, then restore");
        }
        try (lock) {
            Path dir = db.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path incoming = dir.resolve(db.getFileName() + ".restoring");
            Files.deleteIfExists(incoming);
            try {
                try (InputStream in = maybeGunzip(Files.newInputStream(backup))) {
                    Files.copy(in, incoming);
                } catch (IOException e) {
                    throw new RefusedException(backup + " cannot be read as a backup: " + e.getMessage());
                }
                check(incoming, backup.toString());
                Optional<Path> aside = Optional.empty();
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(clock.instant().atZone(JAPAN));
                Path keptAs = db.resolveSibling(db.getFileName() + ".replaced-" + stamp);
                if (Files.exists(db)) {
                    Files.move(db, keptAs);
                    aside = Optional.of(keptAs);
                }
                for (String suffix : List.of("-wal", "-shm")) {
                    Path side = db.resolveSibling(db.getFileName() + suffix);
                    if (Files.exists(side)) {
                        Files.move(side, keptAs.resolveSibling(keptAs.getFileName() + suffix));
                    }
                }
                Files.move(incoming, db, StandardCopyOption.ATOMIC_MOVE);
                log.info("restored {} from {}; the replaced database is kept as {}", db, backup, aside.orElse(null));
                return new RestoreResult(db, aside);
            } finally {
                Files.deleteIfExists(incoming);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("restore of " + db + " failed: " + e.getMessage(), e);
        }
    }

    private static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** A sound SQLite file of this server: quick_check passes and the migration history is there. */
    private static void check(Path file, String what) {
        try (Connection c = open(file); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                String result = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new RefusedException(what + " is damaged: " + result);
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('flyway_schema_history', 'lists')")) {
                if (!rs.next() || rs.getInt(1) < 2) {
                    throw new RefusedException(what + " is not a database of this server (no lists, no migration history)");
                }
            }
        } catch (SQLException e) {
            throw new RefusedException(what + " is not an SQLite database: " + e.getMessage());
        }
    }

    private static Connection open(Path file) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        // The server may be writing: wait for its locks rather than fail (a backup is a reader in WAL mode).
        p.setProperty("busy_timeout", "30000");
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
    }
}
