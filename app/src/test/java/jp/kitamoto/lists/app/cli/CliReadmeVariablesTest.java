package jp.kitamoto.lists.app.cli;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Issue #10: every {@code KITAMOTO_...} variable the README documents, set to a sensible value, must let the server
 * start (it used to stop on {@code KITAMOTO_ADMIN_INITIAL_PASSWORD} and {@code KITAMOTO_TEST_POSTGRES_URL}); a
 * mistyped setting must still stop it, naming the variable.
 */
class CliReadmeVariablesTest {
    /** A whole variable name; a prefix such as "KITAMOTO_TEST_" or "KITAMOTO_<SECTION>__<KEY>" names none. */
    private static final Pattern VARIABLE = Pattern.compile("KITAMOTO_[A-Z0-9]+(?:_{1,2}[A-Z0-9]+)*(?![A-Z0-9_<])");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    /** The README at the top of the repository (the tests run in app/). */
    static TreeSet<String> documentedVariables() throws Exception {
        Path readme = Path.of("..", "README.md");
        assertThat(readme).exists();
        Matcher m = VARIABLE.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        TreeSet<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /**
     * A sensible value for each variable the README may document; a variable added to the README without one here
     * fails this test, so that the README and this test move together.
     */
    private Map<String, Function<Path, String>> sensibleValues() {
        Map<String, Function<Path, String>> v = new HashMap<>();
        v.put("KITAMOTO_CONFIG", d -> write(d.resolve("site.yml"), "server:\n  admin-address: postmaster@ml.kitamoto.example\n"));
        v.put("KITAMOTO_ADMIN_INITIAL_PASSWORD", d -> "readme-initial-password");
        v.put("KITAMOTO_TEST_POSTGRES_URL", d -> "jdbc:postgresql://127.0.0.1/lists_test");
        v.put("KITAMOTO_TEST_POSTGRES_USER", d -> "lists");
        v.put("KITAMOTO_TEST_POSTGRES_PASSWORD", d -> "lists");
        // Settings: the README's examples, with ports 0 and our GreenMail so that the test runs anywhere.
        v.put("KITAMOTO_SMTP__PORT", d -> "0");
        v.put("KITAMOTO_WEB__PORT", d -> "0");
        v.put("KITAMOTO_METRICS__PORT", d -> "0");
        v.put("KITAMOTO_METRICS__HOST", d -> "127.0.0.1");
        v.put("KITAMOTO_METRICS__ENABLED", d -> "false");
        v.put("KITAMOTO_SMARTHOST__HOST", d -> "127.0.0.1");
        v.put("KITAMOTO_SMARTHOST__PORT", d -> Integer.toString(smarthost.getSmtp().getPort()));
        v.put("KITAMOTO_SERVER__DATA_DIR", d -> d.resolve("data").toString());
        v.put("KITAMOTO_BACKUP__DAILY_AT", d -> "03:30");
        v.put("KITAMOTO_BACKUP__KEEP", d -> "7");
        v.put("KITAMOTO_BACKUP__DIR", d -> d.resolve("backups").toString());
        v.put("KITAMOTO_WEB__INITIAL_ADMIN_PASSWORD_FILE", d -> d.resolve("no-such-password-file").toString());
        // The intake's limits (README "Limits of the intake") and the other documented settings sections.
        v.put("KITAMOTO_SMTP__LIMITS__MAX_RECIPIENTS", d -> "200");
        v.put("KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", d -> "127.0.0.1,192.0.2.25");
        v.put("KITAMOTO_DKIM__ENABLED", d -> "true");
        v.put("KITAMOTO_DKIM__SELECTOR", d -> "kitamoto");
        v.put("KITAMOTO_SMARTHOST__STARTTLS", d -> "false");
        v.put("KITAMOTO_SMARTHOST__CHUNKING_WINDOW", d -> "16");
        v.put("KITAMOTO_POSTFIX__RECIPIENT_MAP_ENABLED", d -> "false");
        // Beyond one machine (#11).
        v.put("KITAMOTO_SERVER__NODE_ID", d -> "node-a");
        v.put("KITAMOTO_DELIVERY__LEASE_SECONDS", d -> "60");
        v.put("KITAMOTO_DATABASE__POOL_SIZE", d -> "8");
        // Read here and checked; the JSON switch itself is made by `serve` (JsonLogFormatTest, in its own process).
        v.put("KITAMOTO_LOGGING__FORMAT", d -> "json");
        return v;
    }

    private static String write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }

    @Test
    void everyDocumentedVariableIsKnownToThisTest() throws Exception {
        TreeSet<String> documented = documentedVariables();
        // The bug report's three, so that a README that stopped naming them does not make this test pass vacuously.
        assertThat(documented).contains("KITAMOTO_ADMIN_INITIAL_PASSWORD", "KITAMOTO_TEST_POSTGRES_URL", "KITAMOTO_CONFIG");
        assertThat(sensibleValues().keySet()).as("give a sensible value for each variable in README.md")
                .containsAll(documented);
    }

    @Test
    void eachDocumentedVariableAloneLetsTheSettingsLoad() throws Exception {
        Map<String, Function<Path, String>> values = sensibleValues();
        for (String name : documentedVariables()) {
            Map<String, String> env = TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(),
                    Map.of(name, values.get(name).apply(dir)));
            assertThatCode(() -> new SettingsLoader().load(Optional.empty(), env)).as(name).doesNotThrowAnyException();
            CliRunner.Result check = new CliRunner(env).run("check-config");
            assertThat(check.code()).as(name + ": " + check).isZero();
        }
    }

    @Test
    void theServerStartsWithEveryDocumentedVariableSet() throws Exception {
        Map<String, Function<Path, String>> values = sensibleValues();
        Map<String, String> env = new HashMap<>(TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(),
                Map.of()));
        for (String name : documentedVariables()) {
            env.put(name, values.get(name).apply(dir));
        }
        try (Application app = Application.start(new SettingsLoader().load(Optional.empty(), env), false,
                Clock.systemUTC(), env)) {
            assertThat(app.smtpPort()).isPositive();
            // The variable did what the README says: the first staff account has that password.
            assertThat(new StaffAccounts(app.database(), Clock.systemUTC())
                    .authenticate("admin", "readme-initial-password")).isPresent();
        }
    }

    @Test
    void aMistypedSettingStillStopsStartUpNamingIt() {
        Map<String, String> env = TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(),
                Map.of("KITAMOTO_SMTP__PROT", "2526", "KITAMOTO_ADMIN_INITIAL_PASSWORD", "readme-initial-password"));
        // `serve` is what ./run.sh runs; it returns at once here because the settings fail (exit 2, as always).
        CliRunner.Result serve = new CliRunner(env).run("--dev-smarthost");
        assertThat(serve.code()).as(serve.toString()).isEqualTo(2);
        assertThat(serve.err()).contains("KITAMOTO_SMTP__PROT").doesNotContain("KITAMOTO_ADMIN_INITIAL_PASSWORD");
    }
}
