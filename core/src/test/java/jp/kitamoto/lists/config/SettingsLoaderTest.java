package jp.kitamoto.lists.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsLoaderTest {
    private final SettingsLoader loader = new SettingsLoader();

    @Test
    void defaultsGiveTheDocumentedEmbeddedSetup() {
        Settings s = loader.loadFrom(Optional.empty(), Map.of());
        assertThat(s.smtp().host()).isEqualTo("127.0.0.1");
        assertThat(s.smtp().port()).isEqualTo(2525);
        assertThat(s.web().port()).isEqualTo(8080);
        assertThat(s.smarthost().port()).isEqualTo(25);
        assertThat(s.database().url()).isEmpty();
        assertThat(s.server().dataDir()).isEqualTo("./data");
    }

    @Test
    void siteFileThenEnvironmentOverrideTheDefaults(@TempDir Path dir) throws Exception {
        Path site = dir.resolve("site.yml");
        Files.writeString(site, "smtp:\n  port: 2600\nsmarthost:\n  host: mail.example.jp\n");
        Settings s = loader.loadFrom(Optional.of(site), Map.of("KITAMOTO_SMTP__PORT", "2700", "PATH", "/bin"));
        assertThat(s.smtp().port()).isEqualTo(2700);
        assertThat(s.smarthost().host()).isEqualTo("mail.example.jp");
    }

    @Test
    void multiWordKeysAreWrittenWithUnderscoresInTheEnvironment() {
        Settings s = loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__MAX_MESSAGE_BYTES", "2048"));
        assertThat(s.smtp().maxMessageBytes()).isEqualTo(2048);
    }

    @Test
    void mistypedKeyInTheSiteFileIsNamed(@TempDir Path dir) throws Exception {
        Path site = dir.resolve("site.yml");
        Files.writeString(site, "smtp:\n  prot: 2600\n");
        assertThatThrownBy(() -> loader.loadFrom(Optional.of(site), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.prot");
    }

    @Test
    void mistypedEnvironmentVariableIsNamed() {
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMPT__PORT", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KITAMOTO_SMPT__PORT");
    }

    @Test
    void badValueIsNamedWithItsKey() {
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__PORT", "abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.port");
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.port");
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_DELIVERY__CONNECTIONS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.connections");
    }

    @Test
    void emptyVariableForANumberOrAYesNoSettingSaysWhatToGive() {
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__PORT", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable KITAMOTO_SMTP__PORT is empty: give a number (the default is 2525)"
                        + " or unset it");
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_DKIM__ENABLED", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("give a true or false");
        // An empty text setting is a value: no exempt clients at all.
        assertThat(loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", ""))
                .smtp().limits().exemptNetworks()).isEmpty();
    }

    @Test
    void logFormatIsTextByDefaultJsonOnRequestAndNothingElse() {
        assertThat(loader.loadFrom(Optional.empty(), Map.of()).logging().json()).isFalse();
        assertThat(loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_LOGGING__FORMAT", "json")).logging().json())
                .isTrue();
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_LOGGING__FORMAT", "JSON ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("logging.format");
    }

    @Test
    void theProjectsOwnVariablesThatAreNotSettingsAreLeftAlone() {
        // Issue #10: the README tells people to export these; each used to stop start-up as a "mistyped setting".
        Settings s = loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_ADMIN_INITIAL_PASSWORD", "s3cret-password",
                "KITAMOTO_CONFIG", "/nonexistent/ignored-by-loadFrom.yml",
                "KITAMOTO_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1/lists_test",
                "KITAMOTO_TEST_POSTGRES_USER", "lists", "KITAMOTO_TEST_POSTGRES_PASSWORD", "lists",
                "KITAMOTO_SMTP__PORT", "2701"));
        assertThat(s.smtp().port()).isEqualTo(2701);
    }

    @Test
    void oneUnderscoreBetweenSectionAndKeyIsExplained() {
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP_PORT", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KITAMOTO_SMTP_PORT")
                .hasMessageContaining("two underscores");
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__PROT", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KITAMOTO_SMTP__PROT");
    }

    @Test
    void backupSettingsAreCheckedByName() {
        Settings s = loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_BACKUP__DAILY_AT", "03:30"));
        assertThat(s.backup().dailyAt()).isEqualTo("03:30");
        assertThat(s.backup().keep()).isEqualTo(14);
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_BACKUP__DAILY_AT", "3:30am")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("backup.daily-at");
    }

    /** Every documented setting can be given as KITAMOTO_<SECTION>__<KEY> (lists are comma-separated text). */
    @Test
    void everyDocumentedSettingCanBeGivenAsAnEnvironmentVariable() throws Exception {
        JsonNode defaults;
        try (InputStream in = SettingsLoader.class.getResourceAsStream("/config/defaults.yml")) {
            defaults = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        Map<String, String> env = new HashMap<>();
        collect(defaults, "KITAMOTO_", env);
        assertThat(env).containsKeys("KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", "KITAMOTO_SMTP__TLS__KEYSTORE_PASSWORD");

        Settings s = loader.loadFrom(Optional.empty(), env);

        assertThat(s.smtp().limits().maxRecipients()).isEqualTo(100);
        assertThat(s.smtp().limits().exemptNetworks()).hasSize(2);
    }

    @Test
    void badExemptClientIsNamedWithItsKey() {
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(),
                Map.of("KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", "127.0.0.1, postfix.example.jp")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.limits.exempt-clients")
                .hasMessageContaining("postfix.example.jp");
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(),
                Map.of("KITAMOTO_SMTP__LIMITS__EXEMPT_CLIENTS", "10.0.0.0/33")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.limits.exempt-clients");
    }

    @Test
    void startTlsWithoutCredentialsIsRefusedWithItsKey() {
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__TLS__ENABLED", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.tls");
        assertThatThrownBy(() -> loader.loadFrom(Optional.empty(), Map.of("KITAMOTO_SMTP__TLS__ENABLED", "true",
                "KITAMOTO_SMTP__TLS__KEYSTORE", "/nonexistent/smtp.p12")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.tls.keystore");
    }

    private static void collect(JsonNode node, String prefix, Map<String, String> env) {
        node.fields().forEachRemaining(f -> {
            String name = prefix + f.getKey().toUpperCase(Locale.ROOT).replace('-', '_');
            if (f.getValue().isObject()) {
                collect(f.getValue(), name + "__", env);
            } else {
                env.put(name, f.getValue().asText());
            }
        });
    }
}
