package jp.kitamoto.lists.seed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jp.kitamoto.lists.config.ConfigException;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.PurposeCategory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The seed lists of {@code config/seed-lists.yml}. */
public record SeedLists(List<SeedList> lists) {

    public record SeedList(String localPart, String displayName, String description, PurposeCategory category,
                           ListKind kind, ListPolicy policy, ArchiveVisibility archive, String subjectTag,
                           String footer, List<String> owners) {
        public SeedList {
            if (localPart == null || !localPart.matches("[a-z0-9][a-z0-9.-]{0,40}")) {
                throw new ConfigException("seed-lists.yml: local-part '" + localPart + "' must be lower-case ASCII");
            }
            footer = footer == null ? "" : footer;
            owners = owners == null ? List.of() : List.copyOf(owners);
        }
    }

    public static SeedLists load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = SeedLists.class.getResourceAsStream("/config/seed-lists.yml")) {
            if (in == null) {
                throw new ConfigException("config/seed-lists.yml is missing from the classpath");
            }
            return yaml.readValue(in, SeedLists.class);
        } catch (IOException e) {
            throw new ConfigException("config/seed-lists.yml: " + e.getMessage(), e);
        }
    }
}
