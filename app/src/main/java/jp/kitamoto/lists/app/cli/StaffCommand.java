package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.auth.StaffUser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "staff", description = "Staff accounts of the web pages: add, reset-password.",
        subcommands = {StaffCommand.Add.class, StaffCommand.ResetPassword.class})
public final class StaffCommand {

    /** --password-stdin, else a random password that is printed once. */
    static final class PasswordSource {
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input"
                + " (else a random one is printed once)")
        boolean fromStdin;

        String password(Common common) {
            if (!fromStdin) {
                return random();
            }
            try {
                String line = new BufferedReader(new InputStreamReader(common.root().stdin(), StandardCharsets.UTF_8))
                        .readLine();
                if (line == null || line.isBlank()) {
                    throw new CliFailure("no password on standard input");
                }
                return line;
            } catch (IOException e) {
                throw new CliFailure("cannot read standard input: " + e.getMessage());
            }
        }

        boolean generated() {
            return !fromStdin;
        }

        private static String random() {
            // The alphabet of StaffAccounts' first-start password: no 0/O, 1/l/I to misread when typed from paper.
            String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            SecureRandom r = new SecureRandom();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return sb.toString();
        }
    }

    private static void report(Common common, String what, String username, PasswordSource source, String password) {
        if (common.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("username", username);
            out.put("done", what);
            if (source.generated()) {
                out.put("password", password);
            }
            common.printJson(out);
        } else {
            common.out().printf("%s: %s%n", what, username);
            if (source.generated()) {
                common.out().println("password (shown once; change it after signing in): " + password);
            }
        }
    }

    @Command(name = "add", description = "Creates a staff account (as an ADMIN does on the accounts page).")
    public static final class Add implements Callable<Integer> {
        @Mixin
        Common common;
        @Mixin
        PasswordSource source;
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "ADMIN, OWNER or MODERATOR")
        StaffRole role;
        @Option(names = "--name", paramLabel = "NAME", defaultValue = "", description = "display name")
        String name;
        @Option(names = "--list", paramLabel = "LIST", description = "a list this account handles (repeat for more)")
        List<String> lists = new ArrayList<>();

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                List<Long> ids = lists.stream().map(l -> ops.list(l).id()).toList();
                String password = source.password(common);
                try {
                    ops.staff.create(username, name, role, password, ids);
                } catch (StaffAccounts.UsernameTakenException | StaffAccounts.BadPasswordException e) {
                    throw new CliFailure(e.getMessage());
                }
                ops.audit.record(common.actor(), "staff.create", null, username, role.name() + " lists=" + ids);
                report(common, "created", username, source, password);
                return 0;
            }
        }
    }

    @Command(name = "reset-password", description = "Sets a new password for a staff account (a forgotten one).")
    public static final class ResetPassword implements Callable<Integer> {
        @Mixin
        Common common;
        @Mixin
        PasswordSource source;
        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                StaffUser user = ops.staff.all().stream().filter(u -> u.username().equals(username)).findFirst()
                        .orElseThrow(() -> new CliFailure("no staff account " + username));
                String password = source.password(common);
                try {
                    ops.staff.changePassword(user.id(), password);
                } catch (StaffAccounts.BadPasswordException e) {
                    throw new CliFailure(e.getMessage());
                }
                ops.audit.record(common.actor(), "staff.password", null, username, "パスワード再設定（コマンドライン）");
                report(common, "password reset", username, source, password);
                return 0;
            }
        }
    }
}
