package jp.kitamoto.lists.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.ApiTokens;
import jp.kitamoto.lists.web.auth.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST API over HTTP against the whole server (real sockets on port 0, SQLite file, GreenMail smarthost):
 * authentication and scopes, bulk add of 10,000 members in one call, held posts, the audit trail, the rate limit,
 * problem details, and docs/openapi.yaml against the routes the server registered.
 */
class ApiTest {
    @TempDir
    static Path dataDir;

    private static GreenMail smarthost;
    private static Application app;
    private static ApiTokens tokens;
    private static String base;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Actor ADMIN = new Actor("admin", "127.0.0.1");

    @BeforeAll
    static void start() throws Exception {
        smarthost = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smarthost.start();
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
        // The same service the staff page /staff/api-tokens uses (the page itself is tested in ApiTokenPageTest).
        tokens = new ApiTokens(app.database(), Clock.systemUTC(), new AuditLog(app.database(), Clock.systemUTC()));
        base = "http://127.0.0.1:" + app.webPort() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        smarthost.stop();
    }

    private static long listId(String localPart) {
        return app.lists().byLocalPart(localPart).orElseThrow().id();
    }

    private static String token(String name, StaffRole role, String... lists) {
        List<Long> ids = new ArrayList<>();
        for (String l : lists) {
            ids.add(listId(l));
        }
        return tokens.create(name, role, ids, ADMIN).secret();
    }

    private static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode problem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        // Japanese titles: at least one character outside ASCII.
        assertThat(p.get("title").asText()).matches(".*[^\\x00-\\x7F].*");
        return p;
    }

    @Test
    void missingWrongAndRevokedTokensAre401AndASessionCookieIsNoCredential() throws Exception {
        JsonNode p = problem(call("GET", "/lists", null, null), 401);
        assertThat(p.get("title").asText()).isEqualTo("認証が必要です");
        problem(call("GET", "/lists", "kml_not-a-token", null), 401);

        String secret = token("revoked-script", StaffRole.ADMIN);
        assertThat(call("GET", "/lists", secret, null).statusCode()).isEqualTo(200);
        long id = tokens.all().stream().filter(t -> t.name().equals("revoked-script")).findFirst().orElseThrow().id();
        assertThat(tokens.revoke(id, ADMIN)).isTrue();
        problem(call("GET", "/lists", secret, null), 401);

        // A browser's session cookie is never a credential here (and so CSRF cannot apply).
        HttpResponse<String> withCookie = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/lists"))
                .header("Cookie", "KITAMOTO_SESSION=node0abc.node0").build(), HttpResponse.BodyHandlers.ofString());
        problem(withCookie, 401);
        assertThat(withCookie.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aModeratorTokenStaysOnItsListAndCannotManageMembers() throws Exception {
        String mod = token("kyodo-moderator", StaffRole.MODERATOR, "bunka");
        // Moderators handle held posts, not members (as on the staff pages).
        problem(call("GET", "/lists/bunka/members", mod, null), 403);
        problem(call("POST", "/lists/bunka/members", mod, "[\"a@example.jp\"]"), 403);
        // Another list: no held posts, no approvals.
        String other = app.lists().all().stream().map(MailingList::localPart).filter(l -> !l.equals("bunka"))
                .findFirst().orElseThrow();
        problem(call("GET", "/lists/" + other + "/held", mod, null), 403);
        problem(call("POST", "/lists/" + other + "/held/1/approve", mod, null), 403);
        // Its own list: fine, and /lists shows only it.
        assertThat(call("GET", "/lists/bunka/held", mod, null).statusCode()).isEqualTo(200);
        JsonNode lists = JSON.readTree(call("GET", "/lists", mod, null).body()).get("items");
        assertThat(lists).hasSize(1);
        assertThat(lists.get(0).get("localPart").asText()).isEqualTo("bunka");
        problem(call("GET", "/lists/no-such-list/held", mod, null), 404);
        problem(call("GET", "/no-such-route", mod, null), 404);
    }

    @Test
    void bulkAddOf10000MembersInOneCallThenBulkRemove() throws Exception {
        String owner = token("fukushi-owner", StaffRole.OWNER, "fukushi");
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"address\":\"member").append(i)
                    .append("@example.jp\",\"name\":\"会員 ").append(i).append("\"}");
        }
        body.append("]");
        long t0 = System.nanoTime();
        HttpResponse<String> added = call("POST", "/lists/fukushi/members", owner, body.toString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("API bulk add of 10,000 members in one call: " + millis + " ms");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(JSON.readTree(added.body()).get("added").asInt()).isEqualTo(10_000);

        JsonNode page = JSON.readTree(call("GET", "/lists/fukushi/members?limit=5", owner, null).body());
        assertThat(page.get("total").asLong()).isEqualTo(10_000);
        assertThat(page.get("items")).hasSize(5);

        // All or nothing: one bad address adds nothing and says which.
        HttpResponse<String> bad = call("POST", "/lists/fukushi/members", owner, "[\"ok@example.jp\", \"not an address\"]");
        JsonNode p = problem(bad, 422);
        assertThat(p.get("invalid").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(app.members().find(listId("fukushi"), "ok@example.jp")).isEmpty();

        HttpResponse<String> removed = call("DELETE", "/lists/fukushi/members", owner,
                "[\"member1@example.jp\", \"member2@example.jp\", \"nobody@example.jp\"]");
        JsonNode r = JSON.readTree(removed.body());
        assertThat(r.get("removed").asInt()).isEqualTo(2);
        assertThat(r.get("notFound").get(0).asText()).isEqualTo("nobody@example.jp");

        // The owner of fukushi cannot touch bunka.
        problem(call("POST", "/lists/bunka/members", owner, "[\"x@example.jp\"]"), 403);
        problem(call("POST", "/lists/fukushi/members", owner, "{\"address\":\"x@example.jp\"}"), 400);
    }

    @Test
    void heldPostApprovedThroughTheApiIsAuditedWithTheTokensName() throws Exception {
        String mod = token("held-moderator", StaffRole.MODERATOR, "bunka");
        String domain = app.settings().server().domain();
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(c.send("stranger@example.com", new String[]{"bunka@" + domain},
                    "From: stranger@example.com\r\nSubject: api-held\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .contains("held");
        }
        JsonNode held = JSON.readTree(call("GET", "/lists/bunka/held", mod, null).body()).get("items");
        long postId = -1;
        for (JsonNode h : held) {
            if (h.get("subject").asText().equals("api-held")) {
                postId = h.get("id").asLong();
            }
        }
        assertThat(postId).isPositive();
        HttpResponse<String> ok = call("POST", "/lists/bunka/held/" + postId + "/approve", mod, null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        problem(call("POST", "/lists/bunka/held/" + postId + "/approve", mod, null), 404);

        long id = postId;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode posts = JSON.readTree(call("GET", "/lists/bunka/posts", mod, null).body()).get("items");
            JsonNode post = null;
            for (JsonNode p : posts) {
                if (p.get("id").asLong() == id) {
                    post = p;
                }
            }
            assertThat(post).isNotNull();
            assertThat(post.get("state").asText()).isEqualTo("ACCEPTED");
            assertThat(post.get("deliveries").get("pending").asLong()).isZero();
        });

        String admin = token("audit-reader", StaffRole.ADMIN);
        JsonNode entries = JSON.readTree(call("GET", "/audit?limit=1000", admin, null).body()).get("items");
        List<String> seen = new ArrayList<>();
        entries.forEach(e -> seen.add(e.get("actor").asText() + " " + e.get("action").asText()));
        assertThat(seen).contains("api:held-moderator post.approve", "api:held-moderator api.read");
    }

    @Test
    void aTokenIsRateLimited() throws Exception {
        String secret = token("busy-script", StaffRole.ADMIN);
        // 150 requests at once: the bucket holds 50 and refills 10/s, so most of them must be refused. (One after
        // another they would not be: each allowed read writes its audit entry, which takes tens of ms on SQLite.)
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            calls.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/lists"))
                    .header("Authorization", "Bearer " + secret).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        }
        int tooMany = 0;
        for (var call : calls) {
            HttpResponse<String> r = call.join();
            if (r.statusCode() == 429) {
                tooMany++;
                problem(r, 429);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(tooMany).isPositive();
        // Another token has its own bucket.
        assertThat(call("GET", "/lists", token("calm-script", StaffRole.ADMIN), null).statusCode()).isEqualTo(200);
    }

    @Test
    void openApiDocumentNamesExactlyTheRegisteredRoutes() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("..", "docs", "openapi.yaml")));
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        String prefix = doc.get("servers").get(0).get("url").asText();
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
                String op = ops.next();
                if (List.of("get", "post", "put", "patch", "delete").contains(op)) {
                    documented.add(op.toUpperCase() + " " + prefix + path.getKey());
                }
            }
        }
        TreeSet<String> registered = new TreeSet<>();
        app.webRoutes().stream().filter(r -> r.split(" ", 2)[1].startsWith("/api/")).forEach(registered::add);
        assertThat(registered).as("routes registered under /api/").isNotEmpty();
        assertThat(documented).as("docs/openapi.yaml paths vs the server's /api/ routes").isEqualTo(registered);
    }
}
