package jp.kitamoto.lists.testing;

import jp.kitamoto.lists.store.Database;

import java.nio.file.Path;

/** A fresh SQLite file with the production schema (migrations), for one test class. */
public final class TestDatabases {
    private TestDatabases() {
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
