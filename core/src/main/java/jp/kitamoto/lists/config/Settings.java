package jp.kitamoto.lists.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole configuration, bound from {@code config/defaults.yml}, the site file and the environment
 * (see {@link SettingsLoader}). Each section validates its own values, so a bad value stops start-up with the
 * name of the key.
 */
public record Settings(Server server, Smtp smtp, Web web, Smarthost smarthost, Database database, Delivery delivery,
                       Dkim dkim, Backup backup, Metrics metrics, Postfix postfix, Logging logging) {

    /**
     * @param nodeId this process among several on one database; empty in the files means {@code <host>-<pid>}
     *               (see {@link #nodeId()})
     */
    public record Server(String domain, String publicUrl, String dataDir, String adminAddress, String nodeId) {
        public Server {
            Check.notBlank("server.domain", domain);
            Check.that("server.domain", domain.matches("[A-Za-z0-9.-]+"), "must be a plain domain name, got '" + domain + "'");
            Check.notBlank("server.public-url", publicUrl);
            Check.that("server.public-url", publicUrl.startsWith("http://") || publicUrl.startsWith("https://"),
                    "must start with http:// or https://, got '" + publicUrl + "'");
            publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
            Check.notBlank("server.data-dir", dataDir);
            Check.notBlank("server.admin-address", adminAddress);
            nodeId = nodeId == null || nodeId.isBlank() ? NodeIds.defaultNodeId() : nodeId.trim();
            Check.that("server.node-id", nodeId.length() <= 128, "must be at most 128 characters");
        }

        public Path dataPath() {
            return Path.of(dataDir);
        }
    }

    public record Smtp(String host, int port, long maxMessageBytes, int ioThreads, String helloName, Limits limits,
                       Tls tls) {
        public Smtp {
            Check.notBlank("smtp.host", host);
            Check.port("smtp.port", port);
            Check.that("smtp.max-message-bytes", maxMessageBytes >= 1024, "must be at least 1024");
            Check.that("smtp.io-threads", ioThreads >= 1 && ioThreads <= 64, "must be 1..64");
            helloName = helloName == null ? "" : helloName;
            Check.that("smtp.limits", limits != null, "must be given");
            Check.that("smtp.tls", tls != null, "must be given");
        }

        /** What one client, or all together, may ask of the intake (see smtp.limits in defaults.yml). */
        public record Limits(int maxConnections, int maxConnectionsPerClient, int commandTimeoutSeconds,
                             int dataTimeoutSeconds, int maxRecipients, int maxHeaderBytes, int maxHeaderFields,
                             int maxMimeDepth, int maxMimeParts, int postsPerClientPerMinute, String exemptClients,
                             long maxBufferedBytes) {
            public Limits {
                Check.that("smtp.limits.max-connections", maxConnections >= 1, "must be at least 1");
                Check.that("smtp.limits.max-connections-per-client", maxConnectionsPerClient >= 0,
                        "must be 0 (no limit) or more");
                Check.that("smtp.limits.command-timeout-seconds", commandTimeoutSeconds >= 1, "must be at least 1");
                Check.that("smtp.limits.data-timeout-seconds", dataTimeoutSeconds >= 1, "must be at least 1");
                // RFC 5321 section 4.5.3.1.8 asks for at least 100; a smaller value is the site's own choice.
                Check.that("smtp.limits.max-recipients", maxRecipients >= 1, "must be at least 1");
                Check.that("smtp.limits.max-header-bytes", maxHeaderBytes >= 1024, "must be at least 1024");
                Check.that("smtp.limits.max-header-fields", maxHeaderFields >= 10, "must be at least 10");
                // The byte-level MIME model parses 20 levels; a deeper limit would let in parts nobody can see.
                Check.that("smtp.limits.max-mime-depth", maxMimeDepth >= 1 && maxMimeDepth <= 20, "must be 1..20");
                Check.that("smtp.limits.max-mime-parts", maxMimeParts >= 1, "must be at least 1");
                Check.that("smtp.limits.posts-per-client-per-minute", postsPerClientPerMinute >= 0,
                        "must be 0 (no limit) or more");
                Check.that("smtp.limits.max-buffered-bytes", maxBufferedBytes >= 0,
                        "must be 0 (automatic: 40 % of the heap) or more");
                exemptClients = exemptClients == null ? "" : exemptClients.trim();
                ClientNetwork.parseList("smtp.limits.exempt-clients", exemptClients);
            }

            /** The parsed {@code exempt-clients}. */
            public List<ClientNetwork> exemptNetworks() {
                return ClientNetwork.parseList("smtp.limits.exempt-clients", exemptClients);
            }
        }

        /**
         * STARTTLS on the intake: a PEM certificate chain and PKCS#8 key, or a PKCS#12 keystore. Off by default.
         */
        public record Tls(boolean enabled, String certificate, String privateKey, String keystore,
                          String keystorePassword) {
            public Tls {
                certificate = certificate == null ? "" : certificate.trim();
                privateKey = privateKey == null ? "" : privateKey.trim();
                keystore = keystore == null ? "" : keystore.trim();
                keystorePassword = keystorePassword == null ? "" : keystorePassword;
                if (enabled) {
                    boolean pem = !certificate.isEmpty() || !privateKey.isEmpty();
                    Check.that("smtp.tls", pem != !keystore.isEmpty(),
                            "is enabled: give either certificate and private-key (PEM) or keystore (PKCS#12), not both");
                    if (pem) {
                        Check.file("smtp.tls.certificate", certificate);
                        Check.file("smtp.tls.private-key", privateKey);
                    } else {
                        Check.file("smtp.tls.keystore", keystore);
                    }
                }
            }
        }
    }

    public record Web(String host, int port, String initialAdminPasswordFile) {
        public Web {
            Check.notBlank("web.host", host);
            Check.port("web.port", port);
            initialAdminPasswordFile = initialAdminPasswordFile == null ? "" : initialAdminPasswordFile.trim();
        }
    }

    /**
     * @param starttls {@code false} (plain SMTP), {@code true} (STARTTLS when the smarthost offers it, certificate not
     *                 checked: protects against listening, as Postfix's "may") or {@code required} (no copy leaves
     *                 without TLS, and the certificate must be valid for {@code host} in the JDK's trust store)
     * @param chunkingWindow where the smarthost offers CHUNKING (RFC 3030) and PIPELINING, the copies one connection
     *                 writes ahead without waiting for their replies, and so the most it can have sent and not yet
     *                 recorded; 0 never uses CHUNKING (DATA, one copy in hand a connection)
     */
    public record Smarthost(String host, int port, boolean embeddedGreenmail, int connectTimeoutMs, int readTimeoutMs,
                            String starttls, int chunkingWindow) {
        public Smarthost {
            Check.notBlank("smarthost.host", host);
            Check.port("smarthost.port", port);
            Check.that("smarthost.connect-timeout-ms", connectTimeoutMs > 0, "must be positive");
            Check.that("smarthost.read-timeout-ms", readTimeoutMs > 0, "must be positive");
            starttls = starttls == null ? "false" : starttls.trim().toLowerCase(java.util.Locale.ROOT);
            Check.that("smarthost.starttls", starttls.equals("false") || starttls.equals("true")
                    || starttls.equals("required"), "must be false, true or required, got '" + starttls + "'");
            Check.that("smarthost.chunking-window", chunkingWindow >= 0 && chunkingWindow <= 1000, "must be 0..1000");
        }
    }

    public record Database(String url, String username, String password, int poolSize) {
        public Database {
            url = url == null ? "" : url.trim();
            Check.that("database.url", url.isEmpty() || url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"),
                    "must be empty, jdbc:sqlite:... or jdbc:postgresql:..., got '" + url + "'");
            Check.that("database.pool-size", poolSize >= 1 && poolSize <= 100, "must be 1..100");
        }
    }

    public record Delivery(int connections, int batchSize, int retryInitialSeconds, int retryMaxSeconds,
                           int giveUpAfterHours, int pollMillis, int leaseSeconds) {
        public Delivery {
            Check.that("delivery.connections", connections >= 1 && connections <= 200, "must be 1..200");
            Check.that("delivery.batch-size", batchSize >= 1 && batchSize <= 100_000, "must be 1..100000");
            Check.that("delivery.retry-initial-seconds", retryInitialSeconds >= 1, "must be at least 1");
            Check.that("delivery.retry-max-seconds", retryMaxSeconds >= retryInitialSeconds,
                    "must be at least delivery.retry-initial-seconds");
            Check.that("delivery.give-up-after-hours", giveUpAfterHours >= 1, "must be at least 1");
            Check.that("delivery.poll-millis", pollMillis >= 10, "must be at least 10");
            Check.that("delivery.lease-seconds", leaseSeconds >= 4 && leaseSeconds <= 3600, "must be 4..3600");
        }
    }

    /**
     * DKIM signing of every copy with d= the server domain.
     *
     * @param privateKeyFile empty: {@code <data-dir>/dkim/<selector>.pem}, created on first start
     */
    public record Dkim(boolean enabled, String selector, String privateKeyFile) {
        public Dkim {
            Check.notBlank("dkim.selector", selector);
            // RFC 6376 3.1: a selector is one or more DNS labels.
            Check.that("dkim.selector", selector.matches("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"),
                    "must be DNS labels (letters, digits, '-', '.'), got '" + selector + "'");
            privateKeyFile = privateKeyFile == null ? "" : privateKeyFile.trim();
        }

        /** The key file: as configured, or {@code <data-dir>/dkim/<selector>.pem}. */
        public Path keyPath(Server server) {
            return privateKeyFile.isEmpty() ? server.dataPath().resolve("dkim").resolve(selector + ".pem")
                    : Path.of(privateKeyFile);
        }
    }

    /**
     * Backups of the embedded SQLite database (issue #10): where the {@code backup} command and the daily backup write,
     * how many files they keep, and the Japan time of the daily backup ("" = no daily backup).
     */
    public record Backup(String dir, int keep, String dailyAt) {
        public Backup {
            dir = dir == null ? "" : dir.trim();
            Check.that("backup.keep", keep >= 1 && keep <= 10_000, "must be 1..10000");
            dailyAt = dailyAt == null ? "" : dailyAt.trim();
            Check.that("backup.daily-at", dailyAt.isEmpty() || dailyAt.matches("([01][0-9]|2[0-3]):[0-5][0-9]"),
                    "must be empty (no daily backup) or a Japan time HH:mm such as 03:30, got '" + dailyAt + "'");
        }

        /** The backup folder: {@code backup.dir}, or {@code <data-dir>/backups} when that is empty. */
        public Path path(Server server) {
            return dir.isEmpty() ? server.dataPath().resolve("backups") : Path.of(dir);
        }
    }

    /**
     * The monitoring listener (issue #10): Prometheus {@code /metrics} and {@code /health/live}, {@code /health/ready}
     * on an address of their own, so that they are never on the public web port (they name lists and queue sizes).
     */
    public record Metrics(boolean enabled, String host, int port) {
        public Metrics {
            Check.notBlank("metrics.host", host);
            Check.port("metrics.port", port);
        }
    }

    /**
     * The Postfix in front of us (the MX) asks which recipients are ours through a socketmap table we answer
     * ({@code relay_recipient_maps = socketmap:inet:HOST:PORT:recipients}), so it refuses unknown addresses at its own
     * RCPT and never bounces them later. See docs/deployment.md.
     */
    public record Postfix(boolean recipientMapEnabled, String recipientMapHost, int recipientMapPort) {
        public Postfix {
            Check.notBlank("postfix.recipient-map-host", recipientMapHost);
            Check.port("postfix.recipient-map-port", recipientMapPort);
        }
    }

    /**
     * The server's log on standard output: {@code text} (one line for people) or {@code json} (one JSON object per
     * line for log shippers such as Fluent Bit, Vector or Promtail).
     */
    public record Logging(String format) {
        public static final String TEXT = "text";
        public static final String JSON = "json";

        public Logging {
            Check.that("logging.format", TEXT.equals(format) || JSON.equals(format),
                    "must be text or json, got '" + format + "'");
        }

        public boolean json() {
            return JSON.equals(format);
        }
    }

    /** Validation helpers that name the key in their message. */
    static final class Check {
        private Check() {
        }

        static void that(String key, boolean ok, String problem) {
            if (!ok) {
                throw new ConfigException(key + ": " + problem);
            }
        }

        static void notBlank(String key, String value) {
            that(key, value != null && !value.isBlank(), "must not be empty");
        }

        static void file(String key, String path) {
            notBlank(key, path);
            that(key, Files.isRegularFile(Path.of(path)), "file '" + path + "' does not exist or is not a file");
        }

        static void port(String key, int port) {
            that(key, port >= 0 && port <= 65535, "must be a port number 0..65535, got " + port);
        }
    }
}
