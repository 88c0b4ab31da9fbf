package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.app.KitamotoLists;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * Runs a command in this JVM as {@code java -jar kitamoto-lists.jar ...} would (same parsing, default command and
 * exit codes), with the given environment and captured output; the OS user is {@code tester}.
 */
final class CliRunner {
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private final Map<String, String> env;

    CliRunner(Map<String, String> env) {
        this.env = env;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new KitamotoLists(env, Clock.systemUTC(), "tester",
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(KitamotoLists.withDefaultCommand(args));
        return new Result(code, out.toString(), err.toString());
    }
}
