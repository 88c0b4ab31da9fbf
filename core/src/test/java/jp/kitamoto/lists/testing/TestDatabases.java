package jp.kitamoto.lists.testing;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;

import java.nio.file.Path;

/** A fresh SQLite file with the production schema (migrations), for one test class. */
public final class TestDatabases {
    private TestDatabases() {
    }

    /** Delivery rows still pending in the database a (possibly other-process) server uses. */
    public static long pendingDeliveries(Settings settings) {
        try (Database db = Database.open(settings)) {
            return db.read(s -> s.getMapper(DeliveryMapper.class).countPending());
        }
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
