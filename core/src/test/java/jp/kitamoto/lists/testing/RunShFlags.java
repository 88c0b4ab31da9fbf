package jp.kitamoto.lists.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags {@code run.sh} starts the server with (its {@code JAVA_FLAGS} default: heap, direct memory, C1 only),
 * read from the file itself, so that a server a test starts as a process runs within the same limits as a deployed
 * one. A test JVM's own defaults (a quarter of the machine's memory for heap and direct buffers) once hid a post
 * that could not be delivered within run.sh's 64 MB of direct memory.
 */
public final class RunShFlags {
    private static final Pattern DEFAULT_FLAGS = Pattern.compile("JAVA_FLAGS:-([^}]*)}");

    private RunShFlags() {
    }

    /** The flags, split; run.sh is looked for in the working directory and its parents (a module's tests run in it). */
    public static List<String> read() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path runSh = dir.resolve("run.sh");
            if (Files.isRegularFile(runSh)) {
                try {
                    Matcher m = DEFAULT_FLAGS.matcher(Files.readString(runSh));
                    if (!m.find()) {
                        throw new IllegalStateException(runSh + " names no JAVA_FLAGS default");
                    }
                    return List.of(m.group(1).trim().split("\\s+"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("run.sh not found above " + Path.of("").toAbsolutePath());
    }
}
