package jp.kitamoto.lists.bench;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.testing.RunShFlags;
import jp.kitamoto.lists.testing.TestDatabases;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivery throughput of one node on SQLite, one node on PostgreSQL and two nodes on one PostgreSQL database (#11):
 * one post to N subscribers, accepted by the first node; with two, the second starts on the first's NOTIFY. Reports
 * the rate, the servers' CPU and the CPU of the PostgreSQL backends serving this database (from /proc: a backend's
 * process title names its database), and the load average, since the machine is shared. Usage: bench/README.md.
 */
public final class ClusterDeliveryBenchmark {
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms: SMTP [^:]+:(\\d+)");

    private ClusterDeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = Integer.parseInt(System.getProperty("subscribers", "20000"));
        int connections = Integer.parseInt(System.getProperty("connections", "32"));
        Path jar = Path.of(System.getProperty("jar", "app/target/kitamoto-lists.jar"));
        String postgres = System.getProperty("postgres", System.getenv(TestDatabases.POSTGRES_URL_ENV));
        String database = postgres == null ? "" : postgres.substring(postgres.lastIndexOf('/') + 1).split("\\?")[0];
        System.out.println("| setup | subscribers | load before | load after | last copy after 250 (s) | copies/s "
                + "| servers' CPU (s) | PostgreSQL backends' CPU (s) | database share of CPU |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String scenario : System.getProperty("scenarios", "sqlite:1,postgres:1,postgres:2").split(",")) {
            String[] kv = scenario.split(":");
            boolean pg = kv[0].trim().equals("postgres");
            int nodes = Integer.parseInt(kv[1].trim());
            if (pg && postgres == null) {
                throw new IllegalStateException("set " + TestDatabases.POSTGRES_URL_ENV + " or -Dpostgres=");
            }
            String load = loadAverage();
            try (CountingSmtpSink sink = new CountingSmtpSink()) {
                System.out.println(run(sink, subscribers, connections, jar, pg ? TestDatabases.freshPostgresSchemaUrl()
                        : null, database, nodes, kv[0].trim() + ", " + nodes + (nodes == 1 ? " node" : " nodes"), load));
            }
        }
    }

    private static String run(CountingSmtpSink sink, int subscribers, int connections, Path jar, String pgUrl,
                              String database, int nodes, String label, String loadBefore) throws Exception {
        Path data = Files.createTempDirectory("bench-cluster-");
        List<Map<String, String>> envs = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            Map<String, String> env = new HashMap<>();
            env.put("KITAMOTO_SERVER__DATA_DIR", data.resolve("node" + n).toString());
            env.put("KITAMOTO_SERVER__NODE_ID", "bench-" + n);
            env.put("KITAMOTO_SMTP__PORT", "0");
            env.put("KITAMOTO_WEB__PORT", "0");
            env.put("KITAMOTO_METRICS__PORT", "0");
            env.put("KITAMOTO_SMARTHOST__PORT", Integer.toString(sink.port()));
            env.put("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(connections));
            env.put("KITAMOTO_DELIVERY__BATCH_SIZE", "2000");
            env.put("KITAMOTO_DKIM__ENABLED", "false");
            if (pgUrl != null) {
                env.put("KITAMOTO_DATABASE__URL", pgUrl);
                env.put("KITAMOTO_DATABASE__USERNAME", TestDatabases.postgresUser());
                env.put("KITAMOTO_DATABASE__PASSWORD", TestDatabases.postgresPassword());
            }
            envs.add(env);
        }
        Settings settings = new SettingsLoader().loadFrom(java.util.Optional.empty(), envs.get(0));
        DeliveryBenchmark.populate(settings, subscribers);
        List<Process> servers = new ArrayList<>();
        int port = -1;
        try {
            for (Map<String, String> env : envs) {
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(RunShFlags.read());
                cmd.add("-jar");
                cmd.add(jar.toString());
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("KITAMOTO_"));
                pb.environment().putAll(env);
                Process server = pb.start();
                servers.add(server);
                int p = awaitReady(server);
                if (port < 0) {
                    port = p;
                }
            }
            long serversBefore = 0;
            for (Process s : servers) {
                serversBefore += DeliveryBenchmark.cpuTicks(s.pid());
            }
            long dbBefore = pgUrl == null ? 0 : backendTicks(database);
            long replied = DeliveryBenchmark.post(port, settings.server().domain(), "bunka");
            while (!sink.awaitMessages(subscribers, 1000)) {
                // Woken by the sink at the last copy, not polling: a polling harness takes turns from the servers.
                for (Process s : servers) {
                    if (!s.isAlive()) {
                        throw new IllegalStateException("a server died");
                    }
                }
            }
            long serversTicks = -serversBefore;
            for (Process s : servers) {
                serversTicks += DeliveryBenchmark.cpuTicks(s.pid());
            }
            long dbTicks = pgUrl == null ? 0 : backendTicks(database) - dbBefore;
            double last = (sink.lastNanos() - replied) / 1e9;
            return String.format("| %s | %,d | %s | %s | %.2f | %,.0f | %.1f | %s | %s |", label, subscribers, loadBefore,
                    loadAverage(), last, subscribers / last, serversTicks / 100.0,
                    pgUrl == null ? "–" : String.format("%.1f", dbTicks / 100.0),
                    pgUrl == null ? "–" : String.format("%.0f %%", 100.0 * dbTicks / (dbTicks + serversTicks)));
        } finally {
            for (Process s : servers) {
                s.destroy();
                s.waitFor();
            }
        }
    }

    private static int awaitReady(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        String l;
                        while ((l = out.readLine()) != null) {
                            if (l.contains("WARN") || l.contains("ERROR")) {
                                System.err.println("server: " + l);
                            }
                        }
                    } catch (IOException ignored) {
                        // process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(2));
            }
        }
        throw new IllegalStateException("server did not start");
    }

    /**
     * CPU ticks of the PostgreSQL backends connected to {@code database} (their process title reads
     * "postgres: user database host(port) state"). The shared background processes (WAL writer, checkpointer) are not
     * counted: other databases on this machine use them too.
     */
    private static long backendTicks(String database) throws IOException {
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String title = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (title.startsWith("postgres: ") && title.contains(" " + database + " ")) {
                        ticks += DeliveryBenchmark.cpuTicks(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // The process ended, or is not ours to read.
                }
            }
        }
        return ticks;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
