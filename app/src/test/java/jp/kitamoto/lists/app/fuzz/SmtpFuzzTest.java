package jp.kitamoto.lists.app.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded, time-bounded mutation fuzzer over our corpora (the Japanese corpus, CPython's malformed messages and the
 * regression cases), posting through SMTP to a running server; see {@link FuzzHarness} for what must hold.
 *
 * <p>CI runs it for {@code fuzz.seconds} (default 60). The long run that README documents:
 * {@code mvn -B -ntp -pl app -am verify -Dtest=SmtpFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfuzz.seconds=1800 -Dfuzz.seed=1}. A failing case is written to {@code app/target/fuzz-failures/}; copy it to
 * {@code app/src/test/resources/fuzz-regressions/} and {@link FuzzRegressionTest} replays it from then on.
 */
class SmtpFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261129L);
    private static final int SECONDS = Integer.getInteger("fuzz.seconds", 60);
    private static final int MAX_FAILURES = 10;

    @TempDir
    Path dataDir;

    static List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String dir : List.of("corpus", "python-email", "fuzz-regressions")) {
            Path root = Path.of("src/test/resources", dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.list(root)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".eml") || name.endsWith(".txt")) {
                        seeds.add(crlf(Files.readAllBytes(f)));
                    }
                }
            }
        }
        try (InputStream in = SmtpFuzzTest.class.getResourceAsStream("/python-email/msg_25.txt")) {
            assertThat(in).as("test resources on the classpath").isNotNull();
        }
        return seeds;
    }

    private static byte[] crlf(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anyMutatedMessageIsAnsweredAndEveryAcceptedPostGoesOut() throws Exception {
        List<byte[]> seeds = seeds();
        assertThat(seeds).hasSizeGreaterThan(10);
        Mutator mutator = new Mutator(SEED, seeds);
        List<String> failures = new ArrayList<>();
        Path failureDir = FuzzHarness.FAILURES;
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(SECONDS).toNanos();
        int cases = 0;
        try (FuzzHarness harness = new FuzzHarness(dataDir)) {
            while (System.nanoTime() < end && failures.size() < MAX_FAILURES) {
                Mutator.Case c = mutator.next(cases++);
                String problem = harness.post(c.message());
                if (problem == null) {
                    problem = harness.stillAnswers();
                }
                if (problem != null) {
                    String name = "seed" + SEED + "-case" + c.index() + ".eml";
                    FuzzHarness.save(failureDir, name, c.message());
                    failures.add(name + " (" + c.mutations() + "): " + problem);
                }
            }
            List<String> afterwards = harness.checkAcceptedPosts(Duration.ofSeconds(120), 300);
            double seconds = (System.nanoTime() - start) / 1e9;
            String summary = String.format("fuzz: seed %d, %d cases in %.0f s, answers %s, %d accepted as posts, "
                    + "%d failures, %d problems after", SEED, cases, seconds, harness.replies, harness.acceptedCount(),
                    failures.size(), afterwards.size());
            System.out.println(summary);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "fuzz-summary.txt"), summary + "\n");
            assertThat(failures).as("cases whose answer broke the rules (saved in %s)", failureDir.toAbsolutePath())
                    .isEmpty();
            assertThat(afterwards).as("accepted posts whose copies or archive page failed").isEmpty();
            assertThat(harness.acceptedCount()).as("some cases were accepted and distributed").isPositive();
        }
    }
}
