package jp.kitamoto.lists.bench;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.RunShFlags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Posts one message to lists of 1,000, 10,000 and 100,000 subscribers and measures the delivery: the server runs
 * as its own process (java -jar app/target/kitamoto-lists.jar), so its CPU time and peak RSS are its own; a
 * {@link CountingSmtpSink} in this JVM is the smarthost. Usage: see bench/README.md.
 *
 * <p>One class on purpose: a benchmark harness read top to bottom (populate, start, post, measure, print) is easier
 * to check than one spread over files.
 */
public final class DeliveryBenchmark {
    /** Transactions the reference client writes ahead with CHUNKING: the server's default smarthost.chunking-window. */
    private static final int REFERENCE_WINDOW = 16;
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms: SMTP [^:]+:(\\d+)");

    private DeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:TieredStopAtLevel=1")) {
            // The sink runs here, on the server's cores. Under C2 it deoptimises when the server's traffic differs
            // from the warm-up's and is compiled again during the measured post (0.24-0.37 CPU-s of 3.6 measured).
            System.err.println("warning: run the benchmark's JVM with -XX:TieredStopAtLevel=1 (see bench/README.md):"
                    + " its C2 compiler takes CPU from the server during the measured post");
        }
        int connections = Integer.parseInt(System.getProperty("connections", "32"));
        String jvmFlags = System.getProperty("serverJvm", "");
        // label=path of each server build to measure; several builds run side by side, size by size, so that a
        // before/after comparison sees the same machine load.
        Map<String, Path> jars = new java.util.LinkedHashMap<>();
        for (String j : System.getProperty("jars", "this=app/target/kitamoto-lists.jar").split(",")) {
            String[] kv = j.split("=", 2);
            jars.put(kv[0].trim(), Path.of(kv[1].trim()));
        }
        // sink kind:sizes;... fast = answers at once, PIPELINING and CHUNKING (as Postfix); fast-data = PIPELINING
        // without CHUNKING (the DATA path); lockstep = neither; slow = fast, answering 50 ms late;
        // signed = fast with DKIM signing on; postfix / postfix-signed = a real Postfix between the server and the
        // fast sink (Debian's postfix, root needed), its reference being Postfix fed directly by the lean client.
        String scenarios = System.getProperty("scenarios", "fast:1000,10000,100000;lockstep:10000;slow:1000");
        System.out.println("| sink | subscribers | build | 250 after DATA (ms) | first copy after 250 (ms) | last copy after 250 (s) "
                + "| recipients/s | reference /s | ratio | server CPU (s) | CPU ms per 1,000 copies | server peak RSS (MiB) |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String scenario : scenarios.split(";")) {
            String[] kv = scenario.split(":", 2);
            String kind = kv[0].trim();
            boolean pipelining = !kind.equals("lockstep");
            boolean chunking = pipelining && !kind.equals("fast-data");
            int delay = kind.equals("slow") ? 50 : 0;
            try (CountingSmtpSink sink = new CountingSmtpSink(pipelining, chunking, delay);
                 BenchPostfix postfix = kind.startsWith("postfix") ? BenchPostfix.start(sink.port()) : null) {
                int smarthostPort = postfix != null ? postfix.port() : sink.port();
                if (postfix == null && delay == 0) {
                    // The sink runs in this JVM, on the server's cores: have its code compiled before anything is
                    // measured (measured: C2 compiling the sink and the harness took 0.24-0.37 CPU-s during the
                    // first 10,000-copy signed post, a tenth of the machine).
                    reference(sink, smarthostPort, connections, Math.max(200, HARNESS_WARM_UP * 5 / POST_KB), pipelining,
                            chunking);
                }
                for (String size : kv[1].split(",")) {
                    int n = Integer.parseInt(size.trim());
                    // Signed copies (DKIM on, the fast sink): the reference is this machine's RSA-2048 signing rate
                    // on all its cores with the fastest provider, one signature a copy being the physical limit.
                    // Measured before each server's run; the supplier it gives is asked after the run.
                    java.util.function.Supplier<java.util.function.DoubleSupplier> reference;
                    if (kind.equals("signed")) { // (not postfix-signed: Postfix alone is its reference)
                        // Measured just before and again just after the server's run, and the mean taken: this
                        // machine's signing rate drifts by up to a tenth within minutes (measured: 6,365 to 7,540
                        // in one session), and one side of the run alone moved the ratio by as much.
                        int cores = Runtime.getRuntime().availableProcessors();
                        reference = () -> {
                            Map.Entry<String, Double> rsa;
                            try {
                                rsa = DkimSigningBenchmark.fastestSigningRate(cores, 5);
                            } catch (Exception e) {
                                throw new IllegalStateException("signing reference before the run", e);
                            }
                            return () -> {
                                double after;
                                try {
                                    after = DkimSigningBenchmark.signingRate(rsa.getKey(), cores, 5);
                                } catch (Exception e) {
                                    throw new IllegalStateException("signing reference after the run", e);
                                }
                                System.out.printf("signing reference: %s, %d threads, %,.0f RSA-2048 signatures/s"
                                        + " before the run, %,.0f after%n", rsa.getKey(), cores, rsa.getValue(), after);
                                return (rsa.getValue() + after) / 2;
                            };
                        };
                    } else {
                        if (postfix != null) {
                            // A fresh Postfix starts its smtpd, cleanup, trivial-rewrite and smtp processes during
                            // its first messages: warm it first, or the reference (measured first) pays for that and
                            // the server's run after it does not (measured: 287/s cold against 347/s warm).
                            reference(sink, smarthostPort, connections, Math.min(n, 2000), pipelining, chunking);
                        }
                        double measured = reference(sink, smarthostPort, connections, n, pipelining, chunking);
                        reference = () -> () -> measured;
                    }
                    // -Druns=N: each build N times, alternating, and the median ratio of each (this machine's speed
                    // drifts by a tenth within minutes: one run is one sample).
                    Map<String, List<Double>> ratios = new java.util.LinkedHashMap<>();
                    for (int r = 0; r < RUNS; r++) {
                        for (Map.Entry<String, Path> jar : jars.entrySet()) {
                            sink.reset();
                            Result result = run(sink, smarthostPort, n, connections, jar.getValue(), jvmFlags, kind,
                                    jar.getKey(), reference.get());
                            System.out.println(result.row());
                            ratios.computeIfAbsent(jar.getKey(), k -> new ArrayList<>()).add(result.ratio());
                        }
                    }
                    if (RUNS > 1) {
                        ratios.forEach((build, list) -> System.out.printf("%s %,d %s: ratios %s, median %.0f %%%n", kind,
                                n, build, list.stream().map(x -> String.format("%.0f", x)).toList(), median(list)));
                    }
                }
            }
        }
    }

    /**
     * The reference: the same number of one-recipient transactions sent straight to the same sink, over the same
     * number of connections, by a lean client that does what the server's client should do (RFC 2920: the message,
     * its dot and the next MAIL/RCPT/DATA in one write; one command at a time when the sink has no PIPELINING; with
     * CHUNKING, groups of {@value #REFERENCE_WINDOW} whole transactions with BDAT in one write, then their replies).
     * The server's rate is also given as a ratio of this one, measured in the same run.
     */
    private static double reference(CountingSmtpSink sink, int port, int connections, int messages,
                                    boolean pipelining, boolean chunking) throws Exception {
        sink.reset();
        byte[] raw = sampleMessage().getBytes(StandardCharsets.US_ASCII);
        byte[] bdat = ("BDAT " + raw.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = (sampleMessage() + ".\r\n").getBytes(StandardCharsets.US_ASCII);
        // A sender and a recipient of its own for each message, as the server's personal copies have (VERP): a
        // Postfix in the middle does per-address work (rewriting, its caches) that one repeated address would skip.
        java.util.function.IntFunction<byte[]> mail = i -> ("MAIL FROM:<bench-bounces+t" + i + "@bench>\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        java.util.function.IntFunction<byte[]> rcpt = i -> ("RCPT TO:<member" + i + "@example.jp>\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] data = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        long t0 = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream o = new java.io.BufferedOutputStream(s.getOutputStream(), 16384);
                    expect(in, "220");
                    o.write("EHLO bench\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    expect(in, "250");
                    if (chunking) {
                        while (true) {
                            int k = 0;
                            int i;
                            while (k < REFERENCE_WINDOW && (i = next.getAndIncrement()) < messages) {
                                o.write(mail.apply(i));
                                o.write(rcpt.apply(i));
                                o.write(bdat);
                                o.write(raw);
                                k++;
                            }
                            if (k == 0) {
                                break;
                            }
                            o.flush();
                            for (int r = 0; r < 3 * k; r++) {
                                expect(in, "250");
                            }
                        }
                    } else if (pipelining) {
                        int first = next.getAndIncrement();
                        if (first >= messages) {
                            return;
                        }
                        o.write(mail.apply(first));
                        o.write(rcpt.apply(first));
                        o.write(data);
                        o.flush();
                        while (true) {
                            expect(in, "250");
                            expect(in, "250");
                            expect(in, "354");
                            o.write(body);
                            int j = next.getAndIncrement();
                            boolean more = j < messages;
                            if (more) {
                                o.write(mail.apply(j));
                                o.write(rcpt.apply(j));
                                o.write(data);
                            }
                            o.flush();
                            expect(in, "250");
                            if (!more) {
                                break;
                            }
                        }
                    } else {
                        int i;
                        while ((i = next.getAndIncrement()) < messages) {
                            for (byte[] cmd : new byte[][]{mail.apply(i), rcpt.apply(i), data}) {
                                o.write(cmd);
                                o.flush();
                                expect(in, cmd == data ? "354" : "250");
                            }
                            o.write(body);
                            o.flush();
                            expect(in, "250");
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        // Through Postfix the last 250 is not the last copy: wait until the sink has every one.
        awaitCopies(sink, messages, null);
        double rate = messages / ((sink.lastNanos() - t0) / 1e9);
        sink.reset();
        return rate;
    }

    /** Waits until the sink has counted {@code n} messages (10 minutes at most); fails if the server died. */
    private static void awaitCopies(CountingSmtpSink sink, int n, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        // Woken by the sink when the n-th copy arrives (it stamps the first and last itself, so no figure depends
        // on when this thread runs); a look every second only to notice a dead server. Polling instead took turns
        // from the server under test: spinning took a whole core (until session 4), parking 0.2 ms woke this
        // thread 5,000 times a second (until session 6).
        while (!sink.awaitMessages(n, 1000)) {
            if (server != null && !server.isAlive()) {
                throw new IllegalStateException("server died");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + sink.messages() + " of " + n + " copies arrived");
            }
        }
    }

    private static Result run(CountingSmtpSink sink, int smarthostPort, int subscribers, int connections, Path jar,
                              String jvmFlags, String sinkKind, String build,
                              java.util.function.DoubleSupplier referenceRate) throws Exception {
        Path data = Files.createTempDirectory("bench-" + subscribers + "-");
        Map<String, String> env = new HashMap<>();
        env.put("KITAMOTO_SERVER__DATA_DIR", data.toString());
        env.put("KITAMOTO_SMTP__PORT", "0");
        env.put("KITAMOTO_WEB__PORT", "0");
        env.put("KITAMOTO_METRICS__PORT", "0");
        env.put("KITAMOTO_SMARTHOST__PORT", Integer.toString(smarthostPort));
        env.put("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(connections));
        env.put("KITAMOTO_DELIVERY__BATCH_SIZE", "2000");
        // Every sink kind but "signed" measures unsigned copies; -DserverEnv may still say otherwise.
        env.put("KITAMOTO_DKIM__ENABLED", Boolean.toString(sinkKind.endsWith("signed")));
        // Extra settings for the server under test, e.g. -DserverEnv=KITAMOTO_DKIM__ENABLED=false to compare a
        // build with signing against one without (the server refuses variables it does not know).
        for (String pair : System.getProperty("serverEnv", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        Settings settings = new SettingsLoader().loadFrom(java.util.Optional.empty(), env);
        populate(settings, subscribers);

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The flags run.sh gives the server (read from it, so the benchmark measures what is deployed), unless
        // -DserverJvm says otherwise.
        cmd.addAll(jvmFlags.isBlank() ? RunShFlags.read() : List.of(jvmFlags.trim().split("\\s+")));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process server = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        int port = -1;
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(2));
                break;
            }
        }
        if (port < 0) {
            throw new IllegalStateException("server did not start");
        }
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    if (l.contains("WARN") || l.contains("ERROR") || Boolean.getBoolean("serverLog")) {
                        System.err.println("server: " + l);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        drain.setDaemon(true);
        drain.start();

        if (WARM_UP) {
            // A post to another list first (up to -DwarmupMembers subscribers, 10,000 by default), as on a server
            // that has been running: the measured post then shows the steady state, not code being interpreted and
            // compiled (-Dwarmup=false measures that; a one-member warm-up left the first thousand copies of the
            // measured post to the interpreter).
            // Again until the server's JIT compilers were (nearly) idle during one: code that runs once per commit
            // or per signing task (a hundred times a post) reaches C1's thresholds only in the second post.
            // Measured with -XX:+PrintCompilation after one 10,000-member warm-up: the signing task, Flow.report,
            // StatusWriter.commit and SQLite's executeBatch were compiled during the measured post.
            List<Long> jitMillis = new ArrayList<>();
            for (int n = 1; ; n++) {
                Map<String, Long> compilersBefore = compilerTicksByThread(server.pid());
                post(port, settings.server().domain(), "fukushi");
                awaitCopies(sink, warmUpMembers(subscribers), server);
                sink.reset();
                long compiling = ticksSince(compilersBefore, compilerTicksByThread(server.pid()));
                jitMillis.add(compiling * 10);
                if (compiling <= QUIET_COMPILER_TICKS || n == MAX_WARM_UP_POSTS) {
                    System.err.println("warm-up: " + n + " post(s); the server's JIT took " + jitMillis
                            + " ms during each");
                    break;
                }
            }
            CountingSmtpSink.timeline(); // the warm-up's copies are not the measured post's
        }
        awaitQuietCompiler();
        // CPU of the delivery only: start-up (JIT, bcrypt of the first admin password, Quartz) is not counted.
        long cpuBefore = cpuTicks(server.pid());
        Map<String, Long> threadsBefore = Boolean.getBoolean("threadCpu") ? threadTicks(server.pid()) : null;
        long harness = ProcessHandle.current().pid();
        Map<String, Long> harnessBefore = threadsBefore != null ? threadTicks(harness) : null;
        perfControl("enable");
        long uptimeAtPost = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long dataSent = System.nanoTime();
        long replied = post(port, settings.server().domain(), "bunka");
        if (Boolean.getBoolean("serverLog")) {
            System.err.println("250 at " + java.time.LocalTime.now());
        }
        awaitCopies(sink, subscribers, server);
        perfControl("disable");
        if (Boolean.getBoolean("serverLog")) {
            System.out.println("measured post: harness uptime " + uptimeAtPost + " to "
                    + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        }
        long cpuTicks = cpuTicks(server.pid()) - cpuBefore;
        if (threadsBefore != null) {
            System.err.println(threadCpu("server", threadsBefore, threadTicks(server.pid())));
            // The sink and this harness share the machine with the server: their CPU is taken from it.
            System.err.println(threadCpu("harness", harnessBefore, threadTicks(harness)));
        }
        String timeline = CountingSmtpSink.timeline();
        if (!timeline.isEmpty()) {
            System.err.println(timeline);
        }
        long rssKb = peakRssKb(server.pid());
        server.destroy();
        server.waitFor();
        double first = (sink.firstNanos() - replied) / 1e6;
        double last = (sink.lastNanos() - replied) / 1e9;
        double rate = subscribers / last;
        double reference = referenceRate.getAsDouble(); // after the server has stopped
        return new Result(String.format("| %s | %,d | %s | %.0f | %.1f | %.2f | %,.0f | %,.0f | %.0f %% | %.1f | %.0f | %.0f |",
                sinkKind, subscribers, build, (replied - dataSent) / 1e6, first, last, rate, reference,
                100 * rate / reference, cpuTicks / 100.0, cpuTicks * 10.0 * 1000 / subscribers, rssKb / 1024.0),
                100 * rate / reference);
    }

    /** One run: its table row, and its ratio to the reference in percent. */
    private record Result(String row, double ratio) {
    }

    private static final int RUNS = Integer.getInteger("runs", 1);

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Profiles the measured post only: with -DperfControl=FIFO, writes "enable" to it before the post and "disable"
     * after the last copy, for {@code perf record -a -D -1 --control fifo:FIFO} started beside the benchmark.
     */
    private static void perfControl(String command) throws IOException {
        String fifo = System.getProperty("perfControl", "");
        if (!fifo.isEmpty()) {
            Files.writeString(Path.of(fifo), command + "\n");
        }
    }

    /** The size of the post, about: -DpostKb (a flyer attached as a PDF is hundreds of KB to a few MB). */
    private static final int POST_KB = Integer.getInteger("postKb", 5);
    /** Messages (of 5 KB) the lean client sends to a new sink, unmeasured, so that the sink's code is compiled first. */
    private static final int HARNESS_WARM_UP = 20_000;

    /**
     * Waits (up to 20 s) until this JVM's JIT compiler has been idle for half a second. The harness compiles what
     * it ran before the post (the reference, filling the database, the sink) in the background, on the cores the
     * server under test needs.
     */
    private static void awaitQuietCompiler() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = jit.getTotalCompilationTime();
            if (now == before) {
                return;
            }
            before = now;
        }
    }

    private static final boolean WARM_UP = Boolean.parseBoolean(System.getProperty("warmup", "true"));
    /**
     * Members of the warm-up post: 10,000 (or the measured post's size if smaller) since session 7, enough for the
     * JIT to have compiled the delivery path, as on a server that has run for a while; 2,000 left the C1 compiler and
     * the interpreter a tenth of the machine during a 10,000-copy post. -Dwarmup=false measures a first post.
     */
    private static final int WARM_UP_MEMBERS = Integer.getInteger("warmupMembers", 10_000);

    private static int warmUpMembers(int subscribers) {
        return Math.max(1, Math.min(WARM_UP_MEMBERS, subscribers));
    }

    /** Posts by plain SMTP and returns System.nanoTime() when the 250 after DATA arrived. */
    static long post(int port, String domain, String list) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream o = s.getOutputStream();
            expect(in, "220");
            for (String c : List.of("EHLO bench", "MAIL FROM:<member0@example.jp>", "RCPT TO:<" + list + "@" + domain + ">", "DATA")) {
                o.write((c + "\r\n").getBytes(StandardCharsets.US_ASCII));
                o.flush();
                expect(in, c.equals("DATA") ? "354" : "250");
            }
            o.write((sampleMessage().replace("To: x", "To: " + list + "@" + domain) + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            expect(in, "250");
            long at = System.nanoTime();
            o.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            return at;
        }
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || !line.startsWith(code)) {
                throw new IOException("expected " + code + ", got " + line);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }

    /** A 5 KB plain-text post (or {@link #POST_KB}). */
    static String sampleMessage() {
        StringBuilder sb = new StringBuilder();
        sb.append("From: member0@example.jp\r\nTo: x\r\nSubject: benchmark\r\nMessage-ID: <bench@example.jp>\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        int lines = POST_KB * 70 / 5;
        for (int i = 0; i < lines; i++) {
            sb.append("This line stands for the text of a civic group's announcement, 72 bytes.\r\n");
        }
        return sb.toString();
    }

    static void populate(Settings settings, int subscribers) throws Exception {
        try (Database db = Database.open(settings)) {
            new ListService(db, Clock.systemUTC()).seedIfEmpty(SeedLists.load());
            db.read(session -> {
                try {
                    Connection c = session.getConnection();
                    c.setAutoCommit(false);
                    long listId;
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM lists WHERE local_part = 'bunka'")) {
                        rs.next();
                        listId = rs.getLong(1);
                    }
                    try (PreparedStatement m = c.prepareStatement(
                            "INSERT INTO members (id, address, address_key, display_name, created_at) VALUES (?, ?, ?, '', 0)");
                         PreparedStatement s = c.prepareStatement("INSERT INTO subscriptions (list_id, member_id, state, token, "
                                 + "bounce_score, created_at, updated_at) VALUES (?, ?, 'ACTIVE', ?, 0, 0, 0)")) {
                        for (int i = 1; i <= subscribers; i++) {
                            String a = "member" + (i - 1) + "@example.jp"; // member0 is the poster: a subscriber
                            m.setLong(1, i);
                            m.setString(2, a);
                            m.setString(3, a);
                            m.addBatch();
                            s.setLong(1, listId);
                            s.setLong(2, i);
                            s.setString(3, Tokens.newToken());
                            s.addBatch();
                            if (i % 5000 == 0) {
                                m.executeBatch();
                                s.executeBatch();
                            }
                        }
                        m.executeBatch();
                        s.executeBatch();
                    }
                    // The first members also on fukushi, the warm-up post's list.
                    c.createStatement().executeUpdate("INSERT INTO subscriptions (list_id, member_id, state, token, "
                            + "bounce_score, created_at, updated_at) SELECT l.id, m.id, 'ACTIVE', 'warm-up-' || m.id, 0, 0, 0 "
                            + "FROM lists l, members m WHERE l.local_part = 'fukushi' AND m.id <= "
                            + warmUpMembers(subscribers) + " ORDER BY m.id");
                    c.commit();
                    c.setAutoCommit(true);
                    return null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s)
    }

    /** CPU ticks per thread name (digits folded, so a pool's threads add up), for -DthreadCpu=true. */
    /** Warm-up posts at most, and the JIT CPU (in 10 ms ticks: 50 ms) below which one more is not needed. */
    private static final int MAX_WARM_UP_POSTS = Integer.getInteger("warmupPosts", 4);
    private static final int QUIET_COMPILER_TICKS = 5;

    /** CPU ticks of each of the process's JIT compiler threads so far, by thread id (they come and go). */
    private static Map<String, Long> compilerTicksByThread(long pid) {
        Map<String, Long> byTid = new HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        for (java.io.File t : tasks == null ? new java.io.File[0] : tasks) {
            try {
                String stat = Files.readString(t.toPath().resolve("stat"));
                if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains("CompilerThre")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byTid.put(t.getName(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return byTid;
    }

    /** Ticks used between two readings by the threads alive at the second (one that ended is not counted). */
    private static long ticksSince(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }

    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        for (java.io.File t : tasks == null ? new java.io.File[0] : tasks) {
            try {
                String stat = Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                byName.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return byName;
    }

    /** The threads that used CPU between two {@link #threadTicks} readings, most first, in seconds. */
    static String threadCpu(String process, Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 100.0))
                .collect(java.util.stream.Collectors.joining(", ", process + " CPU by thread (s): ", ""));
    }

    static long peakRssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }
}
