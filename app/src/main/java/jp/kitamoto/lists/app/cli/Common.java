package jp.kitamoto.lists.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.web.audit.Actor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The options every command has ({@code --config=PATH}, as for the server, and {@code --json}) and what commands share:
 * the settings, the output streams, the actor for the audit log.
 */
public final class Common {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "PATH",
            description = "site configuration file (default: KITAMOTO_CONFIG, else config/site.yml if present)")
    Path config;

    @Option(names = "--json", description = "print JSON (for scripts) instead of text")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CliRoot root() {
        return (CliRoot) spec.root().userObject();
    }

    /** The settings exactly as the server would load them (defaults, site file, environment). */
    public Settings settings() {
        return new SettingsLoader().load(Optional.ofNullable(config), root().env());
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public boolean json() {
        return json;
    }

    /** Prints a value as JSON (records and lists of records serialise by their components). */
    public void printJson(Object value) {
        try {
            out().println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Who the audit log records: {@code cli:<os user>}, from this machine. */
    public Actor actor() {
        return new Actor("cli:" + root().osUser(), "local");
    }

    /** Opens the database and the services of the staff pages. */
    public Ops open() {
        return Ops.open(settings(), root().clock());
    }
}
