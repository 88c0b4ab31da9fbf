package jp.kitamoto.lists.web.shared;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link SharedWebStateContract} on one PostgreSQL schema opened twice, as two nodes of a cluster; CI runs it. */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class SharedWebStatePostgresTest extends SharedWebStateContract {
    private String url;

    @Override
    Database openSameDatabase() {
        if (url == null) {
            url = TestDatabases.freshPostgresSchemaUrl();
        }
        return Database.open(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword(), 4);
    }
}
