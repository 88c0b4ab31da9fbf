package jp.kitamoto.lists.search;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.TestDatabases;

import java.nio.file.Path;

/** The archive search on SQLite: FTS5 trigram, and LIKE for one- and two-character words. */
class SqliteArchiveSearchTest extends ArchiveSearchTest {
    @Override
    Database freshDatabase(Path dir) {
        return TestDatabases.freshSqlite(dir);
    }
}
