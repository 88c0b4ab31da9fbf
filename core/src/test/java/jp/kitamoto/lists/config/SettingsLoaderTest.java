package jp.kitamoto.lists.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
