package jp.kitamoto.lists.web;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.csv.ImportPlan;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page text missing from a language fails here, before any page is rendered: every key a template or a route
 * names ({@code page.t("page.…")}, {@code page.html(…)}, {@code "page.…"} in Java) in every web module of the
 * checkout (admin-web, schedules-web and any module added later), and every key built from an enum's name
 * ({@code "page.state." + s.name()}), must be in both {@code messages.properties} and {@code messages_en.properties}.
 */
class PageTextKeysTest {
    private static final Pattern KEY = Pattern.compile("\"(page\\.[A-Za-z0-9_.]*[A-Za-z0-9_])\"");
    /** Keys built at run time from an enum's constant names (see the templates and Labels). */
    private static final Map<String, Class<? extends Enum<?>>> ENUM_KEYS = Map.ofEntries(
            Map.entry("page.category.", PurposeCategory.class), Map.entry("page.role.", StaffRole.class),
            Map.entry("page.policy.", ListPolicy.class), Map.entry("page.visibility.", ArchiveVisibility.class),
            Map.entry("page.output.", OutputCharset.class), Map.entry("page.fromRewrite.", FromRewrite.class),
            Map.entry("page.signedFooter.", SignedFooter.class), Map.entry("page.kind.", ListKind.class),
            Map.entry("page.state.", SubscriptionState.class), Map.entry("page.delivery.", DeliveryState.class),
            Map.entry("page.postState.", PostState.class), Map.entry("page.import.", ImportPlan.Action.class));

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream("/jp/kitamoto/lists/text/" + name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyPageKeyUsedInTemplatesAndRoutesIsInBothLanguages() throws IOException {
        Properties ja = load("messages.properties");
        Properties en = load("messages_en.properties");
        TreeSet<String> used = new TreeSet<>();
        Path checkout = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(checkout)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path main = module.resolve("src/main");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        files.filter(f -> f.toString().endsWith(".jte") || f.toString().endsWith(".java"))
                                .forEach(sources::add);
                    }
                }
            }
        }
        assertThat(sources).as("sources found from " + checkout)
                .anyMatch(p -> p.toString().endsWith("layout.jte"))
                .anyMatch(p -> p.toString().contains("schedules-web"));
        for (Path f : sources) {
            Matcher m = KEY.matcher(Files.readString(f));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        for (var e : ENUM_KEYS.entrySet()) {
            for (Enum<?> constant : e.getValue().getEnumConstants()) {
                used.add(e.getKey() + constant.name());
            }
        }
        for (String action : List.of("approve", "reject", "discard", "other")) {
            used.add("page.staff.held.done." + action);
        }
        for (int status : new int[]{400, 401, 403, 404, 405, 413, 500}) {
            used.add("page.error." + status);
        }
        assertThat(used).as("keys found").hasSizeGreaterThan(200);
        List<String> missing = new ArrayList<>();
        for (String key : used) {
            if (!ja.containsKey(key)) {
                missing.add(key + " (Japanese)");
            }
            if (!en.containsKey(key)) {
                missing.add(key + " (English)");
            }
        }
        assertThat(missing).as("page texts used but missing from the catalogue").isEmpty();
    }
}
