package jp.kitamoto.lists.testing;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings for a test server, built through the real loader from the packed defaults: every port 0, data in a
 * temporary directory, the smarthost where the test's GreenMail listens, and fast retries.
 */
public final class TestSettings {
    private TestSettings() {
    }

    public static Settings forTest(Path dataDir, int smarthostPort, Map<String, String> overrides) {
        return new SettingsLoader().loadFrom(Optional.empty(), env(dataDir, smarthostPort, overrides));
    }

    /** The same configuration as {@code KITAMOTO_*} environment variables, for a server in its own process. */
    public static Map<String, String> env(Path dataDir, int smarthostPort, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("KITAMOTO_SERVER__DATA_DIR", dataDir.toString());
        env.put("KITAMOTO_SMTP__PORT", "0");
        env.put("KITAMOTO_WEB__PORT", "0");
        env.put("KITAMOTO_METRICS__PORT", "0");
        env.put("KITAMOTO_SMARTHOST__PORT", Integer.toString(smarthostPort));
        env.put("KITAMOTO_DELIVERY__RETRY_INITIAL_SECONDS", "1");
        env.put("KITAMOTO_DELIVERY__RETRY_MAX_SECONDS", "2");
        env.put("KITAMOTO_DELIVERY__POLL_MILLIS", "100");
        env.putAll(overrides);
        return env;
    }

    public static Settings forTest(Path dataDir, int smarthostPort) {
        return forTest(dataDir, smarthostPort, Map.of());
    }
}
