package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.app.Main;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process level: a second server on a data folder in use, or on a port in use, stops with exit code 1 and one log
 * line that says which (the holder's pid, the address), not a stack trace an operator has to read through.
 */
class StartUpRefusalsTest {
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+)");

    @TempDir
    Path first;
    @TempDir
    Path second;

    @Test
    void aSecondServerOnTheSameDataFolderOrTheSameSmtpPortSaysWhyInOneLine() throws Exception {
        ServerProcess running = ServerProcess.start(Main.class, TestSettings.env(first, 25, Map.of()), READY);
        try {
            List<String> sameFolder = runUntilExit(TestSettings.env(first, 25, Map.of()));
            assertThat(sameFolder).anyMatch(l -> l.contains("start-up failed") && l.contains("is in use by pid "
                    + running.pid()));
            assertThat(sameFolder).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));

            String port = running.readyGroup(1);
            List<String> samePort = runUntilExit(TestSettings.env(second, 25, Map.of("KITAMOTO_SMTP__PORT", port)));
            assertThat(samePort).anyMatch(l -> l.contains("start-up failed: a port is in use")
                    && l.contains("SMTP 127.0.0.1:" + port));
            assertThat(samePort).noneMatch(l -> l.startsWith("\tat "));
        } finally {
            running.stop();
        }
    }

    /** Runs a server that is expected to stop by itself; its output, after checking it ended with exit code 1. */
    private static List<String> runUntilExit(Map<String, String> env) throws Exception {
        Process p = ServerProcess.builder(Main.class, List.of(), env).start();
        List<String> lines;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().toList();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(1);
        return lines;
    }
}
