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
}
