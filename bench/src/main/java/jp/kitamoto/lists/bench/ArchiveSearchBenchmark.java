package jp.kitamoto.lists.bench;

import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.store.Dialect;
import jp.kitamoto.lists.testing.HttpSession;
import org.apache.ibatis.session.SqlSession;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The public archive search of a list with N posts (default 10,000), timed over HTTP end to end (query, snippets,
 * template, transfer) in this JVM: 3-character and 2-character Japanese queries with many and with no hits, an
 * English word, two words. Issue 12 asks for under 100 ms. The posts go through the real distribution path (which
 * indexes them). On SQLite by default; {@code -Dpostgres=jdbc:postgresql://host/db} (with {@code -Duser},
 * {@code -Dpassword}) runs it on a fresh schema there. Run by hand (see README.md).
 */
public final class ArchiveSearchBenchmark {
    /** Words the posts are made of: city life, as the lists talk about it. */
    private static final String[] WORDS = {"北本市", "市民活動", "お知らせ", "防災訓練", "子育て", "図書館", "公民館",
            "自治会", "ボランティア", "説明会", "申込書", "締切", "会場", "体育館", "参加者", "募集", "地域", "環境",
            "清掃活動", "福祉", "高齢者", "健康", "講座", "スポーツ", "文化祭", "写真展", "協働", "提案", "予算",
            "報告", "議事録", "資料", "連絡", "駅前", "公園", "学校", "保育園", "バス", "雨天", "中止", "延期"};
    private static final String[] GLUE = {"の", "は", "を", "に", "で", "と", "が", "について、", "のため、", "。\n"};

    private ArchiveSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int posts = Integer.parseInt(System.getProperty("posts", "10000"));
        Path data = Files.createTempDirectory("bench-search-");
        Map<String, String> env = new HashMap<>();
        env.put("KITAMOTO_SERVER__DATA_DIR", data.toString());
        env.put("KITAMOTO_SMTP__PORT", "0");
        env.put("KITAMOTO_WEB__PORT", "0");
        env.put("KITAMOTO_METRICS__PORT", "0");
        env.put("KITAMOTO_SMARTHOST__PORT", "9"); // nothing is sent: the list has no subscribers
        String pg = System.getProperty("postgres", "");
        if (!pg.isEmpty()) {
            env.put("KITAMOTO_DATABASE__URL", freshSchema(pg));
            env.put("KITAMOTO_DATABASE__USERNAME", System.getProperty("user", "lists"));
            env.put("KITAMOTO_DATABASE__PASSWORD", System.getProperty("password", "lists"));
        }
        Settings settings = new SettingsLoader().loadFrom(Optional.empty(), env);
        Application app = Application.start(settings, false);
        try {
            long bunka = app.lists().byLocalPart("bunka").orElseThrow().id();
            Random random = new Random(12);
            long t0 = System.nanoTime();
            for (int done = 0; done < posts; ) {
                int batch = Math.min(500, posts - done);
                int first = done;
                app.database().inTransaction(s -> {
                    for (int i = first; i < first + batch; i++) {
                        app.mail().distributor().distributeToList(s, bunka, post(i, random), PostOrigin.SMTP);
                    }
                    return null;
                });
                done += batch;
            }
            Dialect dialect = app.database().dialect();
            System.out.printf("archived and indexed %,d posts in %.1f s (%s)%n", posts, (System.nanoTime() - t0) / 1e9,
                    dialect.databaseId());

            HttpSession http = new HttpSession("http://127.0.0.1:" + app.webPort());
            String[][] queries = {
                    {"北本市", "3 characters, in every post"},
                    {"体育館", "3 characters, in most posts"},
                    {"鯨波浦", "3 characters, no hit"},
                    {"北本", "2 characters, in every post"},
                    {"議事", "2 characters, in most posts"},
                    {"鯨波", "2 characters, no hit"},
                    {"festival", "English word, in 1 of 100 posts"},
                    {"防災訓練 雨天", "two words"},
                    {"北本市&page=50", "3 characters, page 50 (offset 980)"},
            };
            System.out.printf("archive search, %,d posts, %s, over HTTP (ms, 30 requests after 5 warm-up)%n", posts,
                    dialect == Dialect.SQLITE ? "SQLite" : "PostgreSQL");
            System.out.println("| query | what | hits on page | median | p90 | max |");
            System.out.println("|---|---|---:|---:|---:|---:|");
            for (String[] q : queries) {
                String query = q[0].contains("&") ? q[0].substring(0, q[0].indexOf('&')) : q[0];
                String path = "/lists/bunka/archive/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + (q[0].contains("&") ? q[0].substring(q[0].indexOf('&')) : "");
                int[] hits = new int[1];
                Timing t = time(() -> {
                    try {
                        HttpResponse<String> r = http.get(path);
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(path + " answered " + r.statusCode());
                        }
                        hits[0] = r.body().split("<li>", -1).length - 1;
                        return null;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                System.out.printf("| `%s` | %s | %d | %.1f | %.1f | %.1f |%n", q[0], q[1], hits[0], t.median, t.p90,
                        t.max);
            }
            if (dialect == Dialect.SQLITE) {
                shortQueryAlternatives(app, bunka);
            }
        } finally {
            app.close();
        }
    }

    /**
     * The ways SQLite can answer a 2-character query, timed on the same data (SQL only, newest 21): LIKE over the
     * text table walking the list's posts newest first (what ArchiveSearch does for a common short word), and LIKE through the FTS5
     * trigram table (which for fewer than 3 characters scans its whole content).
     */
    private static void shortQueryAlternatives(Application app, long bunka) {
        String[] sqls = {
                "SELECT t.post_id FROM archive_texts t WHERE t.list_id = ? AND (t.subject LIKE ? OR t.body LIKE ?) "
                        + "ORDER BY t.received_at DESC, t.post_id DESC LIMIT 21",
                "SELECT t.post_id FROM archive_texts t WHERE t.list_id = ? AND t.post_id IN (SELECT rowid FROM "
                        + "archive_search WHERE subject LIKE ? OR body LIKE ?) ORDER BY t.received_at DESC, "
                        + "t.post_id DESC LIMIT 21"};
        String[] names = {"LIKE on archive_texts, newest first (used for common short words)",
                "LIKE through FTS5 trigram (not used)"};
        System.out.println();
        System.out.println("2-character queries on SQLite, SQL only (ms, 30 runs after 5 warm-up)");
        System.out.println("| query | plan | median | p90 |");
        System.out.println("|---|---|---:|---:|");
        try (SqlSession s = app.database().sessions().openSession()) {
            Connection c = s.getConnection();
            for (String word : new String[] {"北本", "鯨波"}) {
                for (int i = 0; i < sqls.length; i++) {
                    String sql = sqls[i];
                    Timing t = time(() -> {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            ps.setLong(1, bunka);
                            ps.setString(2, "%" + word + "%");
                            ps.setString(3, "%" + word + "%");
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    rs.getLong(1);
                                }
                            }
                            return null;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    System.out.printf("| `%s` | %s | %.1f | %.1f |%n", word, names[i], t.median, t.p90);
                }
            }
        }
    }

    private record Timing(double median, double p90, double max) {
    }

    private static Timing time(Supplier<Void> run) {
        for (int i = 0; i < 5; i++) { // warm-up: JIT, statement cache
            run.get();
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            run.get();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(ms);
        return new Timing(ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1));
    }

    /** A post of about 600 characters of city words: "北本市" always, "festival" in 1 %, "鯨波" never. */
    private static byte[] post(int i, Random random) {
        StringBuilder body = new StringBuilder("北本市 市民活動のお知らせ 第" + i + "号\n");
        while (body.length() < 600) {
            body.append(WORDS[random.nextInt(WORDS.length)]).append(GLUE[random.nextInt(GLUE.length)]);
        }
        if (i % 100 == 0) {
            body.append("\nSpring festival in the park.\n");
        }
        String subject = WORDS[random.nextInt(WORDS.length)] + "の" + WORDS[random.nextInt(WORDS.length)] + "（" + i + "）";
        return ("From: member" + (i % 200) + "@example.jp\r\nSubject: =?UTF-8?B?"
                + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "Message-ID: <bench-" + i + "@example.jp>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + body.toString().replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
    }

    /** A new, empty schema in the PostgreSQL database, so that each run starts from nothing. */
    private static String freshSchema(String url) throws Exception {
        String schema = "bench_search_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url, System.getProperty("user", "lists"),
                System.getProperty("password", "lists")); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
