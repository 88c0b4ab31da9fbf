package jp.kitamoto.lists.app.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.app.Main;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code logging.format: json} in a real server process, configured by its environment variable as an operator
 * would, with the production logback.xml: every line the process writes is one JSON object with the documented
 * fields, the lines written while a message is received carry its Message-ID, and an exception comes as a structured
 * {@code throwable}.
 */
class JsonLogFormatTest {
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The server's own configuration rather than the tests' logback-test.xml (which also occurs twice on the test
     * classpath, so logback would print its status lines first; a packed server has one logback.xml).
     */
    private static final List<String> PRODUCTION_LOGBACK = List.of("-Dlogback.configurationFile="
            + Path.of("src", "main", "resources", "logback.xml").toAbsolutePath());

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void everyLineShouldBeAJsonObjectAndAPostsLinesShouldCarryItsMessageId() throws Exception {
        Map<String, String> env = TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(),
                Map.of("KITAMOTO_LOGGING__FORMAT", "json"));
        ServerProcess server = ServerProcess.start(Main.class, PRODUCTION_LOGBACK, env, READY);
        try {
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", Integer.parseInt(server.readyGroup(1)))) {
                assertThat(c.send("stranger@example.com", new String[]{"bunka@ml.kitamoto.example"},
                        ("From: stranger@example.com\r\nSubject: =?UTF-8?B?5YyX5pys?=\r\n"
                                + "Message-ID: <json-log@example.jp>\r\n\r\n本文\r\n").getBytes(StandardCharsets.UTF_8)))
                        .startsWith("250");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.output().stream().anyMatch(l -> {
                try {
                    return JSON.readTree(l).path("formattedMessage").asText().startsWith("held <json-log@example.jp>");
                } catch (Exception notJson) {
                    return false; // the check of every line comes below
                }
            }));
        } finally {
            server.stop();
        }

        List<JsonNode> lines = parseEach(server.output());
        JsonNode ready = lines.stream().filter(l -> READY.matcher(l.path("formattedMessage").asText()).find())
                .findFirst().orElseThrow();
        assertThat(ready.get("timestamp").isIntegralNumber()).as(ready.toString()).isTrue();
        assertThat(ready.get("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(ready.get("level").asText()).isEqualTo("INFO");
        assertThat(ready.get("loggerName").asText()).isEqualTo("jp.kitamoto.lists.app.Application");
        assertThat(ready.get("threadName").asText()).isEqualTo("main");
        assertThat(ready.has("message")).as("the pattern is left out; formattedMessage says it once").isFalse();

        // The receiving service's lines for the post carry its Message-ID in the MDC; lines of other work do not.
        JsonNode held = lines.stream().filter(l -> l.path("formattedMessage").asText().startsWith("held <json-log@"))
                .findFirst().orElseThrow();
        assertThat(held.at("/mdc/message_id").asText()).isEqualTo("<json-log@example.jp>");
        assertThat(held.get("threadName").asText()).startsWith("smtp-io-");
        assertThat(ready.at("/mdc/message_id").isMissingNode()).isTrue();
    }

    @Test
    void anExceptionShouldBeAStructuredThrowable() throws Exception {
        // An unexpected failure (a port in use or a data folder in use is reported in one line, without a trace):
        // a PostgreSQL that refuses connections, on a port that was free a moment ago.
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        Map<String, String> env = TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(),
                Map.of("KITAMOTO_LOGGING__FORMAT", "json",
                        "KITAMOTO_DATABASE__URL", "jdbc:postgresql://127.0.0.1:" + closed + "/none"));
        Process p = ServerProcess.builder(Main.class, PRODUCTION_LOGBACK, env).start();
        List<String> output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", output)).isEqualTo(1);

        List<JsonNode> lines = parseEach(output);
        JsonNode failed = lines.stream().filter(l -> l.path("formattedMessage").asText().startsWith("start-up failed"))
                .findFirst().orElseThrow(() -> new AssertionError(String.join("\n", output)));
        assertThat(failed.get("level").asText()).isEqualTo("ERROR");
        assertThat(failed.at("/throwable/className").asText()).as(failed.toString()).isNotBlank();
        assertThat(failed.at("/throwable/stepArray").isArray()).as(failed.toString()).isTrue();
        assertThat(failed.at("/throwable/stepArray").size()).isPositive();
    }

    /** Each line, parsed: the test fails on the first line that is not one JSON object. */
    private static List<JsonNode> parseEach(List<String> output) throws Exception {
        assertThat(output).as("the process wrote nothing").isNotEmpty();
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : output) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
            assertThat(node != null && node.isObject()).as("not a JSON object: " + line).isTrue();
            assertThat(node.has("timestamp") && node.has("level") && node.has("loggerName") && node.has("threadName")
                    && node.has("formattedMessage")).as(line).isTrue();
            parsed.add(node);
        }
        return parsed;
    }
}
