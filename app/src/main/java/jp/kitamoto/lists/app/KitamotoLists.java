package jp.kitamoto.lists.app;

import jp.kitamoto.lists.app.cli.BackupCommand;
import jp.kitamoto.lists.app.cli.CheckConfigCommand;
import jp.kitamoto.lists.app.cli.CliFailure;
import jp.kitamoto.lists.app.cli.CliRoot;
import jp.kitamoto.lists.app.cli.HeldCommand;
import jp.kitamoto.lists.app.cli.ListsCommand;
import jp.kitamoto.lists.app.cli.MembersCommand;
import jp.kitamoto.lists.app.cli.PostsCommand;
import jp.kitamoto.lists.app.cli.RestoreCommand;
import jp.kitamoto.lists.app.cli.StaffCommand;
import jp.kitamoto.lists.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code java -jar app/target/kitamoto-lists.jar <command>} (or {@code bin/kitamoto-lists}).
 * Without a command it serves, as the jar always did, so {@code ./run.sh [--dev-smarthost] [--config=PATH]} is
 * unchanged. Exit codes: 0 done, 1 failed (the reason on standard error), 2 usage (wrong command or option).
 */
// scope INHERIT: every command and subcommand gets -h/--help (and -V) too.
@Command(name = "kitamoto-lists", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "kitamoto-lists 0.1.0",
        description = "Kitamoto civic mailing lists: the server and its operating commands.",
        subcommands = {ServeCommand.class, ListsCommand.class, MembersCommand.class, HeldCommand.class,
                PostsCommand.class, StaffCommand.class, BackupCommand.class, RestoreCommand.class,
                CheckConfigCommand.class, CommandLine.HelpCommand.class})
public final class KitamotoLists implements CliRoot {
    private static final Set<String> ROOT_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    private final Map<String, String> env;
    private final Clock clock;
    private final String osUser;
    private final InputStream stdin;

    public KitamotoLists(Map<String, String> env, Clock clock, String osUser, InputStream stdin) {
        this.env = env;
        this.clock = clock;
        this.osUser = osUser;
        this.stdin = stdin;
    }

    /** The process's own environment, clock, user and standard input. */
    public static KitamotoLists ofProcess() {
        return new KitamotoLists(System.getenv(), Clock.systemUTC(), System.getProperty("user.name", "unknown"),
                System.in);
    }

    /** A configured command line: failures print one line (no stack trace) and exit 1; usage errors exit 2. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String prefix = e instanceof ConfigException ? "configuration error: " : "error: ";
            cmd.getErr().println(prefix + e.getMessage());
            if (!(e instanceof CliFailure) && !(e instanceof ConfigException)) {
                // Unexpected: keep the cause for whoever reads the log of a cron job.
                e.printStackTrace(cmd.getErr());
            }
            return e instanceof ConfigException && cmd.getCommand() instanceof ServeCommand ? 2 : 1;
        });
        return cl;
    }

    /** No command, or only the server's options ({@code --dev-smarthost}, {@code --config=PATH}): {@code serve}. */
    public static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || (args[0].startsWith("-") && !ROOT_OPTIONS.contains(args[0]))) {
            String[] out = new String[args.length + 1];
            out[0] = "serve";
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return args;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String osUser() {
        return osUser;
    }

    @Override
    public InputStream stdin() {
        return stdin;
    }
}
