package jp.kitamoto.lists.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds {@link Settings} from three layers: the packed defaults, an optional site file, and
 * {@code KITAMOTO_SECTION__KEY} environment variables. Unknown keys and bad values fail loudly, naming the key.
 */
public final class SettingsLoader {
    public static final String ENV_PREFIX = "KITAMOTO_";
    public static final String ENV_CONFIG_FILE = "KITAMOTO_CONFIG";
    /** The first staff account's password (see {@code web.initial-admin-password-file}); not a setting. */
    public static final String ENV_ADMIN_INITIAL_PASSWORD = "KITAMOTO_ADMIN_INITIAL_PASSWORD";
    /**
     * Variables of the test suite ({@code KITAMOTO_TEST_POSTGRES_URL}, {@code _USER}, {@code _PASSWORD}, ...): people
     * export them in the shell where they also start the server, so the server must pass over them.
     */
    public static final String ENV_TEST_PREFIX = "KITAMOTO_TEST_";
    /**
     * The project's own variables that are not settings. Before issue #10 the loader read every {@code KITAMOTO_*}
     * variable as a setting, so exporting one that the README documents stopped start-up as a "mistyped setting".
     */
    public static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of(ENV_CONFIG_FILE,
            ENV_ADMIN_INITIAL_PASSWORD);
    private static final String DEFAULTS = "/config/defaults.yml";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** Loads with the site file chosen the documented way: explicit path, else KITAMOTO_CONFIG, else config/site.yml. */
    public Settings load(Optional<Path> explicitSiteFile, Map<String, String> env) {
        Optional<Path> site = explicitSiteFile
                .or(() -> Optional.ofNullable(env.get(ENV_CONFIG_FILE)).filter(s -> !s.isBlank()).map(Path::of))
                .or(() -> Optional.of(Path.of("config", "site.yml")).filter(Files::isRegularFile));
        return loadFrom(site, env);
    }

    /** Loads from the defaults, the given site file (if any) and the environment. */
    public Settings loadFrom(Optional<Path> siteFile, Map<String, String> env) {
        ObjectNode tree = readDefaults();
        if (siteFile.isPresent()) {
            Path file = siteFile.get();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("site configuration file " + file + " does not exist");
            }
            try {
                JsonNode site = yaml.readTree(file.toFile());
                if (site != null && !site.isMissingNode() && !site.isNull()) {
                    if (!site.isObject()) {
                        throw new ConfigException(file + ": expected sections such as 'smtp:' at the top level");
                    }
                    merge(tree, (ObjectNode) site, "", file.toString());
                }
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot be read as YAML: " + e.getMessage(), e);
            }
        }
        applyEnvironment(tree, env);
        return bind(tree);
    }

    private ObjectNode readDefaults() {
        try (InputStream in = SettingsLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new ConfigException("the packed defaults " + DEFAULTS + " are missing from the classpath");
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new ConfigException("the packed defaults cannot be read: " + e.getMessage(), e);
        }
    }

    /** Site values replace defaults key by key; a key the defaults do not have is a typo and is refused here. */
    private static void merge(ObjectNode target, ObjectNode overlay, String path, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null) {
                throw new ConfigException(source + ": unknown setting '" + key + "'" + suggestion(target));
            }
            if (existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), key, source);
            } else if (existing.isObject()) {
                throw new ConfigException(source + ": '" + key + "' is a section; write its keys below it");
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static String suggestion(ObjectNode target) {
        StringBuilder known = new StringBuilder();
        target.fieldNames().forEachRemaining(n -> known.append(known.length() == 0 ? "" : ", ").append(n));
        return " (known here: " + known + ")";
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
        Map<String, String> sorted = new TreeMap<>(env);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String name = e.getKey();
            if (!isSettingVariable(name)) {
                continue;
            }
            if (!name.contains("__")) {
                // KITAMOTO_SMTP_PORT: one underscore where two belong. Say so rather than "unknown 'smtp-port'".
                String first = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                String section = tree.has(first) ? first : first.contains("-") ? first.substring(0, first.indexOf('-')) : first;
                if (tree.has(section) && tree.get(section).isObject()) {
                    throw new ConfigException("environment variable " + name + " names no setting: write two underscores"
                            + " between section and key, as in KITAMOTO_SMTP__PORT");
                }
            }
            String[] parts = name.substring(ENV_PREFIX.length()).split("__");
            ObjectNode node = tree;
            for (int i = 0; i < parts.length; i++) {
                String key = parts[i].toLowerCase(Locale.ROOT).replace('_', '-');
                JsonNode child = node.get(key);
                if (child == null) {
                    throw new ConfigException("environment variable " + name + " names no setting (unknown '" + key + "'"
                            + suggestion(node) + ")");
                }
                if (i == parts.length - 1) {
                    if (child.isObject()) {
                        throw new ConfigException("environment variable " + name + " names a section, not a setting");
                    }
                    if (e.getValue().isBlank() && (child.isNumber() || child.isBoolean())) {
                        // Jackson would say "Cannot coerce `null` to `int`"; an operator needs the default instead.
                        throw new ConfigException("environment variable " + name + " is empty: give a "
                                + (child.isBoolean() ? "true or false" : "number") + " (the default is "
                                + child.asText() + ") or unset it");
                    }
                    node.set(key, TextNode.valueOf(e.getValue()));
                } else {
                    if (!child.isObject()) {
                        throw new ConfigException("environment variable " + name + ": '" + key + "' is not a section");
                    }
                    node = (ObjectNode) child;
                }
            }
        }
    }

    /**
     * Whether a variable is meant as a setting: it starts with {@value #ENV_PREFIX} and is none of the project's other
     * variables ({@link #NOT_SETTINGS}, {@value #ENV_TEST_PREFIX}...). Such a variable that names no setting stops
     * start-up; the others are left to whoever reads them.
     */
    public static boolean isSettingVariable(String name) {
        return name.startsWith(ENV_PREFIX) && !NOT_SETTINGS.contains(name) && !name.startsWith(ENV_TEST_PREFIX);
    }

    private Settings bind(ObjectNode tree) {
        try {
            return yaml.treeToValue(tree, Settings.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException(pathOf(e) + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()), e);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting '" + pathOf(e) + "'", e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(pathOf(e) + ": '" + e.getValue() + "' is not a valid "
                    + e.getTargetType().getSimpleName().toLowerCase(Locale.ROOT), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(pathOf(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("configuration cannot be read: " + e.getMessage(), e);
        }
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
