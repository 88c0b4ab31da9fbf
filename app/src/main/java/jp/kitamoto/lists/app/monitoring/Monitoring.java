package jp.kitamoto.lists.app.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.intake.SmtpReplyCounter;
import jp.kitamoto.lists.store.Database;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.session.SqlSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;

/**
 * Metrics and health on a listener of their own ({@code metrics.host}:{@code metrics.port}, issue #10), never on the
 * public web port: Prometheus text at {@code /metrics}, {@code /health/live} and {@code /health/ready}.
 *
 * <p>The JDK's {@code com.sun.net.httpserver} rather than a second Javalin: three read-only GET endpoints need no
 * sessions, templates or CSRF, and it keeps this listener independent of the web app's Jetty (a web app that hangs
 * still leaves the health endpoints answering).
 */
public final class Monitoring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final JvmGcMetrics gc;
    /**
     * Held here because Micrometer keeps only a weak reference to the object a gauge or function counter reads: without
     * this field the readings are collected and the meters freeze at their last value.
     */
    private final DatabaseReadings readings;

    private Monitoring(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor, JvmGcMetrics gc,
                       DatabaseReadings readings) {
        this.readings = readings;
        this.registry = registry;
        this.server = server;
        this.executor = executor;
        this.gc = gc;
    }

    /**
     * The registry, made before the mail server so that the SMTP intake counts its replies into it from its first
     * connection on, and the listener that shows it, started last by {@link Monitoring.Meters#start}.
     */
    public static final class Meters {
        private final PrometheusMeterRegistry registry;

        private Meters(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        /** What the intake counts into: {@code kitamoto_smtp_replies_total}, or nothing when metrics are off. */
        public SmtpReplyCounter smtpReplies() {
            return registry == null ? SmtpReplyCounter.NONE : new SmtpReplyMeter(registry);
        }

        /** Starts the listener; empty when {@code metrics.enabled} is false. */
        public java.util.Optional<Monitoring> start(Settings settings, Database db, Clock clock) throws IOException {
            if (registry == null) {
                log.info("metrics and health endpoints are off (metrics.enabled: false)");
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Monitoring.start(registry, settings, db, clock));
        }
    }

    /** The meters of a server with these settings; none when {@code metrics.enabled} is false. */
    public static Meters meters(Settings settings) {
        return new Meters(settings.metrics().enabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null);
    }

    private static Monitoring start(PrometheusMeterRegistry registry, Settings settings, Database db, Clock clock)
            throws IOException {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        DatabaseReadings readings = new DatabaseReadings(db, clock);
        bindQueue(registry, readings);
        bindPool(registry, "durable", db.sessions());
        if (db.statusSessions() != db.sessions()) {
            bindPool(registry, "status", db.statusSessions());
        }
        Readiness readiness = new Readiness(db, settings.smarthost());

        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.metrics().host(), settings.metrics().port()), 16);
        } catch (java.net.BindException e) {
            // Name the address: the JDK's message ("Address already in use") does not.
            java.net.BindException named = new java.net.BindException("metrics " + settings.metrics().host() + ":"
                    + settings.metrics().port() + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        // Two threads: a scrape and a probe at once; the listener must stay small beside the mail server's threads.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "monitoring-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/health/live", ex -> respond(ex, 200, "application/json",
                "{\"status\":\"UP\"}"));
        server.createContext("/health/ready", ex -> ready(ex, readiness));
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8", "not found\n"));
        server.start();
        log.info("metrics and health on http://{}:{}/metrics, /health/live, /health/ready", settings.metrics().host(),
                server.getAddress().getPort());
        return new Monitoring(registry, server, executor, gc, readings);
    }

    private static void bindQueue(MeterRegistry r, DatabaseReadings q) {
        // Counts that only grow are FunctionCounters (Prometheus *_total, for rate()); sizes are gauges.
        for (String state : new String[]{"ACCEPTED", "HELD", "DISCARDED", "REJECTED"}) {
            counter(r, "kitamoto.posts", "posts stored, by the state they are in now", q, s -> s.post(state), "state",
                    state.toLowerCase(java.util.Locale.ROOT));
        }
        counter(r, "kitamoto.deliveries.sent", "copies the smarthost accepted", q, s -> s.delivery("SENT"));
        counter(r, "kitamoto.deliveries.failed", "copies given up (5xx, or retried past delivery.give-up-after-hours)",
                q, s -> s.delivery("FAILED"));
        gauge(r, "kitamoto.deliveries.pending", "copies waiting to be sent", q, s -> s.delivery("PENDING"));
        gauge(r, "kitamoto.deliveries.deferred", "pending copies that were tried and will be retried (4xx, no connection)",
                q, s -> s.deferred());
        gauge(r, "kitamoto.deliveries.oldest.pending.age.seconds", "age of the oldest pending copy; -1 when none",
                q, s -> s.oldestPendingAgeSeconds());
        counter(r, "kitamoto.bounces.received", "mail received at the -bounces+token addresses", q,
                s -> s.bouncesReceived());
        gauge(r, "kitamoto.subscriptions.suspended.by.bounces", "subscriptions suspended with a bounce score", q,
                s -> s.suspendedByBounces());
        for (String state : new String[]{"SENT", "MISSED", "FAILED"}) {
            counter(r, "kitamoto.scheduled.sends", "scheduled sends by outcome (sent, missed, failed)", q,
                    s -> s.scheduled(state), "state", state.toLowerCase(java.util.Locale.ROOT));
        }
        gauge(r, "kitamoto.scheduled.sends.waiting", "scheduled sends not yet due", q, s -> s.scheduled("SCHEDULED"));
    }

    private static void counter(MeterRegistry r, String name, String help, DatabaseReadings q,
                                ToDoubleFunction<DatabaseReadings.Snapshot> f, String... tags) {
        FunctionCounter.builder(name, q, x -> f.applyAsDouble(x.now())).description(help).tags(tags).register(r);
    }

    private static void gauge(MeterRegistry r, String name, String help, DatabaseReadings q,
                              ToDoubleFunction<DatabaseReadings.Snapshot> f) {
        Gauge.builder(name, q, x -> f.applyAsDouble(x.now())).description(help).register(r);
    }

    /** MyBatis's own pool (no HikariCP here, so no ready-made binder): connections in use and idle, waits. */
    private static void bindPool(MeterRegistry r, String pool, SqlSessionFactory sessions) {
        if (!(sessions.getConfiguration().getEnvironment().getDataSource() instanceof PooledDataSource ds)) {
            return;
        }
        Gauge.builder("kitamoto.db.pool.active", ds, d -> d.getPoolState().getActiveConnectionCount())
                .description("connections in use").tag("pool", pool).register(r);
        Gauge.builder("kitamoto.db.pool.idle", ds, d -> d.getPoolState().getIdleConnectionCount())
                .description("idle connections").tag("pool", pool).register(r);
        Gauge.builder("kitamoto.db.pool.max", ds, PooledDataSource::getPoolMaximumActiveConnections)
                .description("largest number of connections").tag("pool", pool).register(r);
        FunctionCounter.builder("kitamoto.db.pool.waits", ds, d -> d.getPoolState().getHadToWaitCount())
                .description("requests that had to wait for a connection").tag("pool", pool).register(r);
    }

    private static void ready(HttpExchange ex, Readiness readiness) throws IOException {
        Map<String, Readiness.Check> checks = readiness.run();
        boolean up = checks.values().stream().allMatch(Readiness.Check::up);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        Map<String, Object> each = new LinkedHashMap<>();
        checks.forEach((name, c) -> {
            Map<String, Object> one = new LinkedHashMap<>(); // status first, for people reading it with curl
            one.put("status", c.up() ? "UP" : "DOWN");
            one.put("detail", c.detail());
            each.put(name, one);
        });
        body.put("checks", each);
        respond(ex, up ? 200 : 503, "application/json", JSON.writeValueAsString(body));
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                status = 405;
                body = "GET only\n";
                type = "text/plain; charset=utf-8";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        gc.close();
        registry.close();
    }
}
