package jp.kitamoto.lists.store;

import java.nio.file.Path;

class SqliteMigrationsTest extends MigrationsTest {
    @Override
    String freshUrl(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("test.db");
    }

    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
