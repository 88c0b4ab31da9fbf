package jp.kitamoto.lists.bench;

import jp.kitamoto.lists.testing.PostfixInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real Postfix between the server and the counting sink, as in production: it takes every copy, queues it on disk
 * and relays it to the sink. Configured for throughput (the settings measured best here, see bench/README.md);
 * {@code -DpostfixSettings=key=value;key=value} overrides them, {@code -DpostfixDir} places the queue (for example
 * on tmpfs: {@code /dev/shm}).
 */
final class BenchPostfix implements AutoCloseable {
    private final PostfixInstance postfix;

    private BenchPostfix(PostfixInstance postfix) {
        this.postfix = postfix;
    }

    static BenchPostfix start(int sinkPort) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mynetworks", "127.0.0.0/8");
        settings.put("relayhost", "[127.0.0.1]:" + sinkPort);
        settings.put("disable_mime_output_conversion", "yes");
        // Postfix slows an injecting client by up to a second per message when its queue manager falls behind;
        // for a bulk sender on the same machine that is the wrong trade.
        settings.put("in_flow_delay", "0s");
        settings.put("default_process_limit", "200");
        settings.put("smtpd_client_connection_count_limit", "0");
        settings.put("default_destination_concurrency_limit", "32");
        settings.put("smtp_destination_concurrency_limit", "32");
        settings.put("smtp_connection_cache_on_demand", "yes");
        settings.put("smtp_connection_cache_time_limit", "10s");
        settings.put("default_destination_recipient_limit", "50");
        // Postfix's daemons exit after 100 uses by default, so a bulk run spends its time forking new cleanup and
        // trivial-rewrite processes (seen in top: master, trivial-rewrite and cleanup at the top); keep them.
        settings.put("max_use", "100000");
        settings.put("max_idle", "600s");
        for (String pair : System.getProperty("postfixSettings", "").split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        Path parent = Files.createTempDirectory(Path.of(System.getProperty("postfixDir", "/tmp")), "bench-postfix-");
        PostfixInstance p = PostfixInstance.start("relay", parent, PostfixInstance.freePort(), settings);
        System.out.println("Postfix " + PostfixInstance.version() + " in " + parent + ": " + settings);
        return new BenchPostfix(p);
    }

    int port() {
        return postfix.port();
    }

    @Override
    public void close() throws Exception {
        postfix.close();
    }
}
