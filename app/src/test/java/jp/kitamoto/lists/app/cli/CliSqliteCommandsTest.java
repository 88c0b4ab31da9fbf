package jp.kitamoto.lists.app.cli;

import java.util.Map;

/** The data commands on the default database: one SQLite file in WAL mode, shared with the running server. */
class CliSqliteCommandsTest extends CliCommandsContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
