package jp.kitamoto.lists.store;

import jp.kitamoto.lists.testing.TestDatabases;

import java.nio.file.Path;

class SqliteStoreMappersTest extends StoreMappersTest {
    @Override
    Database freshDatabase(Path dir) {
        return TestDatabases.freshSqlite(dir);
    }
}
