package jp.kitamoto.lists.app.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;

/**
 * What every command takes from the process it runs in, given by the root command: the environment (settings come
 * from it as for the server), the clock, the operating-system user (the audit log's actor {@code cli:<user>}) and
 * standard input (passwords). Tests give their own, so that commands run in-process against a test server.
 */
public interface CliRoot {
    Map<String, String> env();

    Clock clock();

    String osUser();

    InputStream stdin();
}
