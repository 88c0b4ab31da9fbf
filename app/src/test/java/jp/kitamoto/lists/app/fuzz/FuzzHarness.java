package jp.kitamoto.lists.app.fuzz;

import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.StrictSmarthost;
import jp.kitamoto.lists.testing.TestSettings;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts a case through real SMTP to a running server and checks what must hold for any input: the answer is 250 or
 * 5xx (never a 4xx for a local failure, never a timeout), the server still answers, every accepted post's copies go
 * out through a strict smarthost, and its archive page answers 200. Shared by the fuzzer and the regression replay.
 */
final class FuzzHarness implements AutoCloseable {
    static final String MEMBER = "yamada@example.jp";
    private static final Pattern ACCEPTED = Pattern.compile("accepted as post (\\d+)");

    final StrictSmarthost smarthost;
    final Application app;
    final MailingList list;
    final String domain;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Long> acceptedPosts = new ArrayList<>();
    final Map<String, Integer> replies = new TreeMap<>();

    FuzzHarness(Path dataDir) throws Exception {
        smarthost = new StrictSmarthost();
        app = Application.start(TestSettings.forTest(dataDir, smarthost.port()), false);
        domain = app.settings().server().domain();
        list = app.lists().byLocalPart("bunka").orElseThrow();
        app.members().subscribe(list.id(), MEMBER, "", SubscriptionState.ACTIVE);
        app.members().subscribe(list.id(), "suzuki@example.jp", "", SubscriptionState.ACTIVE);
    }

    /** Posts one case; returns a failure text, or null when the answer is one the server may give. */
    String post(byte[] message) {
        String reply;
        try {
            reply = send(message);
        } catch (IOException e) {
            return "no answer: " + e;
        }
        String code = reply.length() >= 3 ? reply.substring(0, 3) : reply;
        replies.merge(code, 1, Integer::sum);
        if (reply.startsWith("250")) {
            Matcher m = ACCEPTED.matcher(reply);
            while (m.find()) {
                acceptedPosts.add(Long.parseLong(m.group(1)));
            }
            return null;
        }
        if (reply.startsWith("5")) {
            return null;
        }
        return "answered " + reply;
    }

    /** Whether a fresh connection still gets the greeting. */
    String stillAnswers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", app.smtpPort()), 5000);
            s.setSoTimeout(10_000);
            String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            return greeting != null && greeting.startsWith("220") ? null : "greeting was " + greeting;
        } catch (IOException e) {
            return "the server stopped answering: " + e;
        }
    }

    int acceptedCount() {
        return acceptedPosts.size();
    }

    /**
     * Waits until no copy of an accepted post is pending, then returns the problems: copies that failed, and
     * archive pages that did not answer 200. Checks at most {@code sample} posts' pages (the newest).
     */
    List<String> checkAcceptedPosts(Duration wait, int sample) throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            Awaitility.await().atMost(wait).pollInterval(Duration.ofMillis(200))
                    .until(() -> copiesOfAcceptedPosts().stream().noneMatch(d -> d.state() == DeliveryState.PENDING));
        } catch (ConditionTimeoutException e) {
            problems.add("copies still pending after " + wait);
        }
        List<Delivery> copies = copiesOfAcceptedPosts();
        java.util.Set<Long> saved = new java.util.HashSet<>();
        for (Delivery d : copies) {
            if (d.state() != DeliveryState.SENT) {
                problems.add("post " + d.postId() + ": copy to " + d.recipient() + " is " + d.state() + " ("
                        + d.lastReply() + ")");
                if (saved.add(d.postId())) {
                    Post post = app.database().read(s -> s.getMapper(PostMapper.class).findById(d.postId())).orElseThrow();
                    save(FAILURES, "post" + d.postId() + "-received.eml", post.raw());
                    save(FAILURES, "post" + d.postId() + "-prepared.eml", post.prepared());
                }
            }
        }
        List<Long> pages = acceptedPosts.subList(Math.max(0, acceptedPosts.size() - sample), acceptedPosts.size());
        for (long id : pages) {
            Post post = app.database().read(s -> s.getMapper(PostMapper.class).findById(id)).orElseThrow();
            if (post.listId() != list.id() || post.sequence() == null) {
                continue;
            }
            URI uri = URI.create("http://127.0.0.1:" + app.webPort() + "/lists/bunka/archive/posts/" + post.sequence());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                problems.add("post " + id + ": archive page answered " + page.statusCode());
            }
        }
        return problems;
    }

    private List<Delivery> copiesOfAcceptedPosts() {
        return app.database().read(s -> {
            List<Delivery> all = new ArrayList<>();
            for (long id : acceptedPosts) {
                all.addAll(s.getMapper(DeliveryMapper.class).findByPost(id, 0, 10));
            }
            return all;
        });
    }

    private String send(byte[] message) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", app.smtpPort()), 5000);
            s.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            String r = reply(in);
            for (String command : new String[]{"EHLO fuzz.example.jp", "MAIL FROM:<" + MEMBER + ">",
                    "RCPT TO:<bunka@" + domain + ">", "DATA"}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                r = reply(in);
                if (!r.startsWith("2") && !r.startsWith("3")) {
                    return r;
                }
            }
            out.write(dotStuffed(message));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            r = reply(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return r;
        }
    }

    /** The bytes as they are (bare CR and LF included), with lines that start with a dot doubled, ending in CRLF. */
    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (message.length > 0 && !lineStart) {
            out.write('\r');
            out.write('\n');
        } else if (message.length > 0 && (message.length < 2 || message[message.length - 2] != '\r')) {
            // A bare LF at the very end: make the terminator unambiguous.
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static String reply(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            sb.append(sb.length() == 0 ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        if (line == null) {
            throw new IOException("connection closed after: " + sb);
        }
        return sb.toString();
    }

    /** Where failing cases are written, to be replayed or kept as regression cases. */
    static final Path FAILURES = Path.of("target", "fuzz-failures");

    static void save(Path dir, String name, byte[] message) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), message);
    }

    @Override
    public void close() throws Exception {
        app.close();
        smarthost.close();
    }
}
