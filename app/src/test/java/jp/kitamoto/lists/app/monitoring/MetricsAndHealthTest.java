package jp.kitamoto.lists.app.monitoring;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics listener over real sockets: a real SMTP post delivered to a GreenMail smarthost moves the counters on
 * /metrics (the SMTP replies by code among them), and /health/ready follows the smarthost down (503 naming it) and
 * up again (200).
 */
class MetricsAndHealthTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsMoveAfterAPostAndReadinessFollowsTheSmarthost() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        GreenMail smarthost = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smarthost.start();
        try (Application app = Application.start(TestSettings.forTest(dataDir, port), false)) {
            String base = "http://127.0.0.1:" + app.metricsPort();
            assertThat(app.metricsPort()).isNotEqualTo(app.webPort());
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);

            String before = get(base + "/metrics").body();
            assertThat(value(before, "kitamoto_deliveries_sent_total")).isZero();
            assertThat(before).doesNotContain("kitamoto_smtp_replies_total{");
            assertThat(before).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                    "system_cpu_count", "kitamoto_db_pool_active{pool=\"durable\"}",
                    "kitamoto_deliveries_oldest_pending_age_seconds");

            MailingList bunka = app.lists().byLocalPart("bunka").orElseThrow();
            app.members().subscribe(bunka.id(), "yamada@example.jp", "", SubscriptionState.ACTIVE);
            app.members().subscribe(bunka.id(), "suzuki@example.jp", "", SubscriptionState.ACTIVE);
            String domain = app.settings().server().domain();
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                assertThat(c.send("yamada@example.jp", new String[]{"bunka@" + domain},
                        "From: yamada@example.jp\r\nSubject: metrics\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                        .startsWith("250");
                assertThat(c.send("stranger@example.com", new String[]{"bunka@" + domain},
                        "From: stranger@example.com\r\nSubject: held\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                        .startsWith("250");
            }
            try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                assertThat(c.send("yamada@example.jp", new String[]{"nosuchlist@" + domain},
                        "Subject: lost\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))).startsWith("550 5.1.1");
            }
            // Each reply counted as the intake wrote it: two connections, the refusal, the two stored messages.
            String replies = get(base + "/metrics").body();
            assertThat(replies).contains("# TYPE kitamoto_smtp_replies_total counter");
            assertThat(value(replies, "kitamoto_smtp_replies_total{code=\"220\",enhanced=\"none\"}")).isEqualTo(2.0);
            assertThat(value(replies, "kitamoto_smtp_replies_total{code=\"550\",enhanced=\"5.1.1\"}")).isEqualTo(1.0);
            assertThat(value(replies, "kitamoto_smtp_replies_total{code=\"250\",enhanced=\"2.0.0\"}")).isEqualTo(2.0);
            assertThat(value(replies, "kitamoto_smtp_replies_total{code=\"221\",enhanced=\"2.0.0\"}")).isEqualTo(2.0);
            assertThat(value(replies, "kitamoto_smtp_replies_total{code=\"354\",enhanced=\"none\"}")).isEqualTo(2.0);

            // Three copies: the post to its two subscribers, and the notice to the list's owner about the held post.
            // The readings are cached for a few seconds: wait for the scrape that shows all three sent.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String now = get(base + "/metrics").body();
                assertThat(value(now, "kitamoto_deliveries_sent_total")).isEqualTo(3.0);
                // Accepted: the post, and the owner notice (sent as a post of its own through the same rows).
                assertThat(value(now, "kitamoto_posts_total{state=\"accepted\"}")).isEqualTo(2.0);
                assertThat(value(now, "kitamoto_posts_total{state=\"held\"}")).isEqualTo(1.0);
                assertThat(value(now, "kitamoto_deliveries_pending")).isZero();
                assertThat(value(now, "kitamoto_deliveries_oldest_pending_age_seconds")).isEqualTo(-1.0);
            });
            assertThat(smarthost.getReceivedMessages()).hasSize(3);

            HttpResponse<String> ready = get(base + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(ready.body()).contains("\"status\":\"UP\"", "\"database\"", "\"migrations\"", "\"smarthost\"");

            smarthost.stop();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> down = get(base + "/health/ready");
                assertThat(down.statusCode()).isEqualTo(503);
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(down.body());
                assertThat(json.get("status").asText()).isEqualTo("DOWN");
                assertThat(json.at("/checks/smarthost/status").asText()).isEqualTo("DOWN");
                assertThat(json.at("/checks/smarthost/detail").asText()).contains(":" + port);
                assertThat(json.at("/checks/database/status").asText()).isEqualTo("UP");
                assertThat(json.at("/checks/migrations/status").asText()).isEqualTo("UP");
            });

            smarthost = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smarthost.start();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200));

            // The listener is not the web app: the web port has no /metrics.
            assertThat(get("http://127.0.0.1:" + app.webPort() + "/metrics").statusCode()).isEqualTo(404);
        } finally {
            smarthost.stop();
        }
    }

    @Test
    void noListenerWhenDisabled() throws Exception {
        try (Application app = Application.start(TestSettings.forTest(dataDir, 9,
                Map.of("KITAMOTO_METRICS__ENABLED", "false")), false)) {
            assertThat(app.metricsPort()).isEqualTo(-1);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line of the Prometheus text ({@code name{labels} value}). */
    private static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + "(?:\\{[^}]*\\})? ([-0-9.Ee+]+)$").matcher(scrape);
        assertThat(m.find()).as(sample + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
