package jp.kitamoto.lists.store;

import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.file.Path;

/**
 * The same mappers and migrations on PostgreSQL. Needs a server: {@code .ci/run} installs and starts one and sets
 * {@value TestDatabases#POSTGRES_URL_ENV}; without it (a laptop without PostgreSQL) this class does not run.
 */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class PostgresStoreMappersTest extends StoreMappersTest {
    @Override
    Database freshDatabase(Path dir) {
        return TestDatabases.freshPostgres();
    }
}
