package jp.kitamoto.lists.web.shared;

import jp.kitamoto.lists.store.Database;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link SharedWebStateContract} on one SQLite file opened twice (two processes on one machine would do the same). */
class SharedWebStateSqliteTest extends SharedWebStateContract {
    @TempDir
    Path dir;

    @Override
    Database openSameDatabase() {
        return Database.open("jdbc:sqlite:" + dir.resolve("shared.db"), "", "", 4);
    }
}
