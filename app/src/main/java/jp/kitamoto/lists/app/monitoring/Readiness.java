package jp.kitamoto.lists.app.monitoring;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.store.Database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code /health/ready} checks: the database answers, the migrations are done (none recorded as failed, at
 * least one applied), and the smarthost accepts a TCP connection. Each check is run on every request (a load
 * balancer or Prometheus asks every few seconds at most), so that a smarthost that went down shows at once.
 */
public final class Readiness {
    /** One check's outcome: {@code detail} says what failed. */
    public record Check(boolean up, String detail) {
    }

    private final Database db;
    private final Settings.Smarthost smarthost;

    public Readiness(Database db, Settings.Smarthost smarthost) {
        this.db = db;
        this.smarthost = smarthost;
        db.addMappers(MonitoringMapper.class);
    }

    /** Every check by name, in a stable order. */
    public Map<String, Check> run() {
        Map<String, Check> out = new LinkedHashMap<>();
        out.put("database", database());
        out.put("migrations", migrations());
        out.put("smarthost", smarthost());
        return out;
    }

    private Check database() {
        try {
            db.read(s -> s.getMapper(MonitoringMapper.class).ping());
            return new Check(true, "answers");
        } catch (RuntimeException e) {
            return new Check(false, "no answer: " + e.getMessage());
        }
    }

    private Check migrations() {
        try {
            long failed = db.read(s -> s.getMapper(MonitoringMapper.class).failedMigrations());
            long applied = db.read(s -> s.getMapper(MonitoringMapper.class).appliedMigrations());
            if (failed > 0) {
                return new Check(false, failed + " failed migration(s) in flyway_schema_history");
            }
            return applied > 0 ? new Check(true, applied + " applied") : new Check(false, "no migration applied");
        } catch (RuntimeException e) {
            return new Check(false, "cannot read flyway_schema_history: " + e.getMessage());
        }
    }

    /**
     * A TCP connection to the smarthost, then a polite QUIT after its greeting, so that Postfix logs a clean
     * session instead of "lost connection after CONNECT" at every probe. Only the connection decides: a slow
     * greeting does not make us unready. At most 2 s, so that the probe answers before a prober's timeout.
     */
    private Check smarthost() {
        String target = smarthost.host() + ":" + smarthost.port();
        int timeout = Math.min(smarthost.connectTimeoutMs(), 2_000);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(smarthost.host(), smarthost.port()), timeout);
            try {
                socket.setSoTimeout(timeout);
                InputStream in = socket.getInputStream();
                byte[] greeting = new byte[512];
                if (in.read(greeting) > 0) {
                    OutputStream out = socket.getOutputStream();
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // Connected is what we check; the greeting is courtesy.
            }
            return new Check(true, target + " accepts connections");
        } catch (IOException e) {
            return new Check(false, target + ": " + e.getMessage());
        }
    }
}
