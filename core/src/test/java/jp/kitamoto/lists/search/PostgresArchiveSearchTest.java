package jp.kitamoto.lists.search;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.file.Path;

/** The archive search on PostgreSQL: pg_trgm GIN indexes answering ILIKE. Needs {@value TestDatabases#POSTGRES_URL_ENV}. */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class PostgresArchiveSearchTest extends ArchiveSearchTest {
    @Override
    Database freshDatabase(Path dir) {
        return TestDatabases.freshPostgres();
    }
}
