package jp.kitamoto.lists.app.fuzz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Replays every case the fuzzer once failed on (and the crafted ones kept beside them) with the fuzzer's checks. */
class FuzzRegressionTest {
    @TempDir
    Path dataDir;

    @Test
    void everySavedCaseIsAnsweredAndDistributed() throws Exception {
        List<Path> cases;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/fuzz-regressions"))) {
            cases = files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList();
        }
        assertThat(cases).isNotEmpty();
        List<String> problems = new ArrayList<>();
        try (FuzzHarness harness = new FuzzHarness(dataDir)) {
            for (Path c : cases) {
                String problem = harness.post(Files.readAllBytes(c));
                if (problem == null) {
                    problem = harness.stillAnswers();
                }
                if (problem != null) {
                    problems.add(c.getFileName() + ": " + problem);
                }
            }
            problems.addAll(harness.checkAcceptedPosts(Duration.ofSeconds(60), cases.size()));
            System.out.println("fuzz regressions: " + cases.size() + " cases, answers " + harness.replies);
        }
        assertThat(problems).isEmpty();
    }
}
