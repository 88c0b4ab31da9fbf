package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The data commands on PostgreSQL (a fresh schema per test), where {@value TestDatabases#POSTGRES_URL_ENV} is set. */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = ".+")
class CliPostgresCommandsTest extends CliCommandsContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of("KITAMOTO_DATABASE__URL", TestDatabases.freshPostgresSchemaUrl(),
                "KITAMOTO_DATABASE__USERNAME", TestDatabases.postgresUser(),
                "KITAMOTO_DATABASE__PASSWORD", TestDatabases.postgresPassword());
    }

    @Test
    void backupPointsToPgDump() {
        CliRunner.Result r = cli.run("backup");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("pg_dump");
    }
}
