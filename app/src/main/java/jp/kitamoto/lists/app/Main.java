package jp.kitamoto.lists.app;

import jp.kitamoto.lists.config.ConfigException;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs the whole server in one process. Options: {@code --config=PATH} (a site file), {@code --dev-smarthost}
 * (an embedded GreenMail instead of a real MTA, for trying the server on one machine).
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Optional<Path> site = Optional.empty();
        boolean devSmarthost = false;
        for (String a : args) {
            if (a.startsWith("--config=")) {
                site = Optional.of(Path.of(a.substring("--config=".length())));
            } else if (a.equals("--dev-smarthost")) {
                devSmarthost = true;
            } else {
                System.err.println("unknown option " + a + "; usage: [--config=PATH] [--dev-smarthost]");
                System.exit(2);
            }
        }
        Settings settings;
        try {
            settings = new SettingsLoader().load(site, System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Application app = Application.start(settings, devSmarthost || settings.smarthost().embeddedGreenmail());
            Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        } catch (Exception e) {
            log.error("start-up failed: {}", e.getMessage(), e);
            System.exit(1);
        }
    }
}
