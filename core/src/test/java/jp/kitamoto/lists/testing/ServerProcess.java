package jp.kitamoto.lists.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A server started as a separate JVM on the test's classpath, configured only by {@code KITAMOTO_*} environment
 * variables (as an operator would), so that a test can kill it with SIGKILL and start it again on the same data. It
 * runs with run.sh's JVM flags ({@link RunShFlags}): the memory limits of a deployed server.
 */
public final class ServerProcess {
    private final Process process;
    private final List<String> output;
    private final Matcher ready;

    private ServerProcess(Process process, List<String> output, Matcher ready) {
        this.process = process;
        this.output = output;
        this.ready = ready;
    }

    /**
     * Starts {@code mainClass} and waits until a line of its output matches {@code readyLine}. The inherited
     * {@code KITAMOTO_*} variables are dropped; {@code env} is all the configuration the server gets.
     */
    public static ServerProcess start(Class<?> mainClass, Map<String, String> env, Pattern readyLine) throws Exception {
        return start(mainClass, List.of(), env, readyLine);
    }

    /** The same, with options for the JVM (such as {@code -Dlogback.configurationFile=...}). */
    public static ServerProcess start(Class<?> mainClass, List<String> jvmOptions, Map<String, String> env,
                                      Pattern readyLine) throws Exception {
        Process p = builder(mainClass, jvmOptions, env).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // The process was killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        // A bound, not a timing assertion: a new JVM starts in 3-5 s here, but on a two-core machine busy with other
        // builds it has taken over 30 s (JIT, Flyway, the DKIM key); the test fails only if it never gets ready.
        await().atMost(Duration.ofSeconds(120))
                .until(() -> !p.isAlive() || lines.stream().anyMatch(l -> readyLine.matcher(l).find()));
        Matcher m = lines.stream().map(readyLine::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new IllegalStateException("server did not start:\n" + String.join("\n", lines)));
        return new ServerProcess(p, lines, m);
    }

    /**
     * The process as {@link #start} runs it, for a test that reads a process which ends by itself (a start that
     * fails): standard error is merged into standard output, and the inherited {@code KITAMOTO_*} variables dropped.
     */
    public static ProcessBuilder builder(Class<?> mainClass, List<String> jvmOptions, Map<String, String> env) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(RunShFlags.read());
        command.addAll(jvmOptions); // after run.sh's, so a test's own option wins
        command.addAll(List.of("-cp", classpath, mainClass.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KITAMOTO_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** A group of the ready line (for example the SMTP port it announced). */
    public String readyGroup(int group) {
        return ready.group(group);
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** The operating system's id of the process (to tell which of several nodes holds something). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the server's shutdown hook runs. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
