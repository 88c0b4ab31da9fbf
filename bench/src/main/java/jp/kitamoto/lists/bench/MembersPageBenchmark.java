package jp.kitamoto.lists.bench;

import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.HttpSession;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The staff members page of a list with N members (default 10,000), timed over HTTP end to end (query, template,
 * transfer) on a real SQLite file, in this JVM. Issue 3 asks for under 100 ms a page. Run by hand (see README.md);
 * it used to be a timed unit test, which our rules keep out of the test suite.
 */
public final class MembersPageBenchmark {
    private static final String PASSWORD = "bench-password-0001";

    private MembersPageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int members = Integer.parseInt(System.getProperty("members", "10000"));
        Path data = Files.createTempDirectory("bench-members-");
        Map<String, String> env = new HashMap<>();
        env.put("KITAMOTO_SERVER__DATA_DIR", data.toString());
        env.put("KITAMOTO_SMTP__PORT", "0");
        env.put("KITAMOTO_WEB__PORT", "0");
        env.put("KITAMOTO_METRICS__PORT", "0");
        env.put("KITAMOTO_SMARTHOST__PORT", "9"); // nothing is sent
        Settings settings = new SettingsLoader().loadFrom(Optional.empty(), env);
        System.setProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD", PASSWORD);
        Application app = Application.start(settings, false);
        try {
            long bunka = app.lists().byLocalPart("bunka").orElseThrow().id();
            app.database().inTransaction(s -> {
                for (int i = 0; i < members; i++) {
                    app.members().subscribe(s, bunka, String.format("member%05d@example.jp", i), "会員 " + i,
                            i % 50 == 0 ? SubscriptionState.SUSPENDED : SubscriptionState.ACTIVE);
                }
                return null;
            });
            HttpSession http = new HttpSession("http://127.0.0.1:" + app.webPort());
            http.login("admin", PASSWORD);
            String base = "/staff/lists/" + bunka + "/members";
            String[] paths = {base, base + "?page=150", base + "?q=member0999", base + "?q=%E4%BC%9A%E5%93%A1+12"};
            System.out.printf("members page, %,d members, SQLite, over HTTP (ms, 30 requests after 5 warm-up)%n", members);
            System.out.println("| page | median | p90 | max |");
            System.out.println("|---|---:|---:|---:|");
            for (String path : paths) {
                for (int i = 0; i < 5; i++) { // warm-up: JIT, statement cache
                    http.get(path);
                }
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.get(path);
                    ms.add((System.nanoTime() - t0) / 1e6);
                    if (r.statusCode() != 200 || !r.body().contains("member-count")) {
                        throw new IllegalStateException(path + " answered " + r.statusCode());
                    }
                }
                Collections.sort(ms);
                System.out.printf("| `%s` | %.1f | %.1f | %.1f |%n", path.replace(base, "members"),
                        ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1));
            }
        } finally {
            app.close();
        }
    }
}
