package jp.kitamoto.lists.config;

import java.nio.file.Path;

/**
 * The whole configuration, bound from {@code config/defaults.yml}, the site file and the environment
 * (see {@link SettingsLoader}). Each section validates its own values, so a bad value stops start-up with the
 * name of the key.
 */
public record Settings(Server server, Smtp smtp, Web web, Smarthost smarthost, Database database, Delivery delivery) {

    public record Server(String domain, String publicUrl, String dataDir, String adminAddress) {
        public Server {
            Check.notBlank("server.domain", domain);
            Check.that("server.domain", domain.matches("[A-Za-z0-9.-]+"), "must be a plain domain name, got '" + domain + "'");
            Check.notBlank("server.public-url", publicUrl);
            Check.that("server.public-url", publicUrl.startsWith("http://") || publicUrl.startsWith("https://"),
                    "must start with http:// or https://, got '" + publicUrl + "'");
            publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
            Check.notBlank("server.data-dir", dataDir);
            Check.notBlank("server.admin-address", adminAddress);
        }

        public Path dataPath() {
            return Path.of(dataDir);
        }
    }

    public record Smtp(String host, int port, long maxMessageBytes, int ioThreads, String helloName) {
        public Smtp {
            Check.notBlank("smtp.host", host);
            Check.port("smtp.port", port);
            Check.that("smtp.max-message-bytes", maxMessageBytes >= 1024, "must be at least 1024");
            Check.that("smtp.io-threads", ioThreads >= 1 && ioThreads <= 64, "must be 1..64");
            helloName = helloName == null ? "" : helloName;
        }
    }

    public record Web(String host, int port) {
        public Web {
            Check.notBlank("web.host", host);
            Check.port("web.port", port);
        }
    }

    /**
     * @param starttls {@code false} (plain SMTP), {@code true} (STARTTLS when the smarthost offers it, certificate not
     *                 checked: protects against listening, as Postfix's "may") or {@code required} (no copy leaves
     *                 without TLS, and the certificate must be valid for {@code host} in the JDK's trust store)
     */
    public record Smarthost(String host, int port, boolean embeddedGreenmail, int connectTimeoutMs, int readTimeoutMs,
                            String starttls) {
        public Smarthost {
            Check.notBlank("smarthost.host", host);
            Check.port("smarthost.port", port);
            Check.that("smarthost.connect-timeout-ms", connectTimeoutMs > 0, "must be positive");
            Check.that("smarthost.read-timeout-ms", readTimeoutMs > 0, "must be positive");
            starttls = starttls == null ? "false" : starttls.trim().toLowerCase(java.util.Locale.ROOT);
            Check.that("smarthost.starttls", starttls.equals("false") || starttls.equals("true")
                    || starttls.equals("required"), "must be false, true or required, got '" + starttls + "'");
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
                           int giveUpAfterHours, int pollMillis) {
        public Delivery {
            Check.that("delivery.connections", connections >= 1 && connections <= 200, "must be 1..200");
            Check.that("delivery.batch-size", batchSize >= 1 && batchSize <= 100_000, "must be 1..100000");
            Check.that("delivery.retry-initial-seconds", retryInitialSeconds >= 1, "must be at least 1");
            Check.that("delivery.retry-max-seconds", retryMaxSeconds >= retryInitialSeconds,
                    "must be at least delivery.retry-initial-seconds");
            Check.that("delivery.give-up-after-hours", giveUpAfterHours >= 1, "must be at least 1");
            Check.that("delivery.poll-millis", pollMillis >= 10, "must be at least 10");
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

        static void port(String key, int port) {
            that(key, port >= 0 && port <= 65535, "must be a port number 0..65535, got " + port);
        }
    }
}
