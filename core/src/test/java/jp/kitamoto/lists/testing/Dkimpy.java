package jp.kitamoto.lists.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier: Debian's dkimpy ({@code python3-dkim}), run by {@code /usr/bin/python3} (the
 * {@code python3} on PATH may be a pyenv shim without it). The DNS answer is given, not looked up.
 */
public final class Dkimpy {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join("\n",
            "import sys, dkim, logging",
            "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)",
            "msg = open(sys.argv[1], 'rb').read()",
            "rec = open(sys.argv[2], 'rb').read()",
            "ok = dkim.verify(msg, logger=logging.getLogger('dkim'), dnsfunc=lambda name, timeout=5: rec)",
            "print('PASS' if ok else 'FAIL')");

    private Dkimpy() {
    }

    /** Whether dkimpy can run here. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import dkim").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The outcome: whether the first DKIM-Signature verifies against {@code txtRecord}, and dkimpy's log. */
    public record Result(boolean pass, String log) {
    }

    public static Result verify(byte[] message, String txtRecord) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dkimpy");
        try {
            Path msg = Files.write(dir.resolve("msg.eml"), message);
            Path rec = Files.writeString(dir.resolve("record.txt"), txtRecord, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT, msg.toString(), rec.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("dkimpy did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            return new Result(text.strip().endsWith("PASS"), text);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
