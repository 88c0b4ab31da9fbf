package jp.kitamoto.lists.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both languages hold the same keys with the same placeholders, and lookups behave as documented. */
class TextsCatalogueTest {

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream("/jp/kitamoto/lists/text/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyKeyIsInBothLanguagesWithTheSamePlaceholders() throws IOException {
        Properties ja = load("messages.properties");
        Properties en = load("messages_en.properties");
        assertThat(new TreeSet<>(en.stringPropertyNames())).as("keys missing from or extra in messages_en")
                .isEqualTo(new TreeSet<>(ja.stringPropertyNames()));
        for (String key : ja.stringPropertyNames()) {
            assertThat(Texts.placeholders(en.getProperty(key))).as("placeholders of " + key)
                    .isEqualTo(Texts.placeholders(ja.getProperty(key)));
            assertThat(ja.getProperty(key)).as("Japanese text of " + key).isNotBlank();
            assertThat(en.getProperty(key)).as("English text of " + key).isNotBlank();
        }
    }

    @Test
    void japaneseIsTheDefaultWhateverTheJvmLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.US);
            assertThat(Texts.japanese().get("common.unknownSender")).isEqualTo("（不明）");
            assertThat(Texts.of(Locale.forLanguageTag("fr")).get("common.unknownSender")).isEqualTo("（不明）");
            assertThat(Texts.of(Locale.forLanguageTag("en-GB")).get("common.unknownSender")).isEqualTo("(unknown)");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void placeholdersAreCheckedByName() {
        Texts ja = Texts.japanese();
        assertThatThrownBy(() -> ja.format("common.unknownSender", "list", "bunka"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("placeholder");
        assertThatThrownBy(() -> ja.get("no.such.key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no.such.key");
        assertThat(Set.of("list", "n")).isEqualTo(Texts.placeholders("{list} には {n} 件 {list}"));
    }
}
