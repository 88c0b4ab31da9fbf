package jp.kitamoto.lists.app;

import jp.kitamoto.lists.app.cli.CliRoot;
import jp.kitamoto.lists.app.logging.ConsoleLogFormat;
import jp.kitamoto.lists.app.ops.ServerLock;
import jp.kitamoto.lists.config.ConfigException;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs the whole server in this process until it is stopped (SIGTERM, Ctrl-C). The default command. */
@Command(name = "serve", description = "Run the server (the default when no command is given).")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "PATH", description = "site configuration file")
    Path config;

    @Option(names = "--dev-smarthost", description = "an embedded GreenMail as the smarthost, logging every copy")
    boolean devSmarthost;

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(ServeCommand.class);
        CliRoot root = (CliRoot) spec.root().userObject();
        Settings settings;
        try {
            settings = new SettingsLoader().load(Optional.ofNullable(config), root.env());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return 2;
        }
        // Before the first line of the server's own: a log shipper reading JSON gets every line of the start in JSON.
        ConsoleLogFormat.apply(settings.logging());
        Application app;
        try {
            app = Application.start(settings, devSmarthost || settings.smarthost().embeddedGreenmail(), root.clock(),
                    root.env());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("configuration error: " + e.getMessage());
            return 2;
        } catch (ServerLock.HeldException e) {
            // Expected, and the message says everything (who holds the data folder): no stack trace.
            log.error("start-up failed: {}", e.getMessage());
            return 1;
        } catch (Exception e) {
            java.net.BindException inUse = bindFailure(e);
            if (inUse != null) {
                String why = e.getMessage() == null || e.getMessage().equals(inUse.getMessage())
                        ? inUse.getMessage() : e.getMessage() + "; " + inUse.getMessage();
                log.error("start-up failed: a port is in use or not allowed ({}); see the smtp, web and metrics"
                        + " ports in the settings", why);
                return 1;
            }
            log.error("start-up failed: {}", e.getMessage(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "shutdown"));
        // Until the shutdown hook has closed everything: the process then ends with the hook, not by our return.
        stopped.await();
        return 0;
    }

    /** The port that could not be bound, if that is why start-up failed (anywhere in the causes). */
    private static java.net.BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException bind) {
                return bind;
            }
        }
        return null;
    }
}
