package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.service.PostQueries.DeliveryCounts;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestMessages;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backup taken while a post fans out to 10,000 members (members imported with the command line) restores into a
 * server that finishes the fan-out: every member gets a copy, none is lost (copies sent after the backup may go out
 * twice after the restore; that is the documented price of restoring an older state).
 */
class CliBackupDuringFanOutTest {
    private static final int MEMBERS = 10_000;
    private static final String DOMAIN = "ml.kitamoto.example";

    @TempDir
    Path dir;

    @Test
    void backupMidFanOutRestoresIntoAServerThatFinishesIt() throws Exception {
        try (GatedSink sink = new GatedSink(2_000)) {
            Map<String, String> env = new HashMap<>(TestSettings.env(dir.resolve("data"), sink.port(), Map.of()));
            CliRunner cli = new CliRunner(env);
            Path backup;
            long postId;
            try (Application app = Application.start(new SettingsLoader().loadFrom(Optional.empty(), env), false)) {
                StringBuilder csv = new StringBuilder("\uFEFFメールアドレス,氏名\r\n");
                for (int i = 0; i < MEMBERS; i++) {
                    csv.append(address(i)).append(",会員 ").append(i).append("\r\n");
                }
                Path file = dir.resolve("members.csv");
                Files.writeString(file, csv, StandardCharsets.UTF_8);
                CliRunner.Result imported = cli.run("members", "import", "bunka", file.toString(), "--apply");
                assertThat(imported.code()).as(imported.toString()).isZero();
                assertThat(imported.out()).contains("add " + MEMBERS);

                String reply;
                try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                    reply = smtp.send(address(0), new String[]{"bunka@" + DOMAIN}, TestMessages.message(
                            "From: " + address(0) + "\r\nTo: bunka@" + DOMAIN + "\r\nSubject: fan-out\r\n",
                            "to everybody\r\n", StandardCharsets.US_ASCII));
                }
                Matcher m = Pattern.compile("accepted as post (\\d+)").matcher(reply);
                assertThat(m.find()).as(reply).isTrue();
                postId = Long.parseLong(m.group(1));

                // The sink holds its answers after 2,000 copies: the fan-out is surely under way and unfinished.
                await().atMost(Duration.ofMinutes(3)).until(() -> sink.copiesArrived() >= 2_000);
                CliRunner.Result taken = cli.run("backup", "--json");
                backup = Path.of(CliCommandsContract.json(taken).get("file").asText());
                sink.release();
            }

            Map<String, Long> inBackup = deliveryStates(backup, postId);
            assertThat(inBackup.values().stream().mapToLong(Long::longValue).sum()).as("rows in the backup")
                    .isEqualTo(MEMBERS);
            assertThat(inBackup.getOrDefault("SENT", 0L)).as("sent when backed up").isPositive();
            assertThat(inBackup.getOrDefault("PENDING", 0L)).as("pending when backed up").isPositive();

            Map<String, String> env2 = new HashMap<>(env);
            env2.put("KITAMOTO_SERVER__DATA_DIR", dir.resolve("restored").toString());
            CliRunner.Result restored = new CliRunner(env2).run("restore", backup.toString());
            assertThat(restored.code()).as(restored.toString()).isZero();
            try (Application app = Application.start(new SettingsLoader().loadFrom(Optional.empty(), env2), false)) {
                PostQueries posts = new PostQueries(app.database());
                await().atMost(Duration.ofMinutes(3)).until(() -> posts.deliveryCounts(postId).pending() == 0);
                DeliveryCounts counts = posts.deliveryCounts(postId);
                assertThat(counts.sent()).isEqualTo(MEMBERS);
                assertThat(counts.failed()).isZero();
            }
            for (int i = 0; i < MEMBERS; i++) {
                assertThat(sink.recipients()).as("copy for member %d", i).contains(address(i));
            }
        }
    }

    private static String address(int i) {
        return String.format("member%05d@example.jp", i);
    }

    /** Delivery rows of the post per state, read from the compressed backup itself. */
    private Map<String, Long> deliveryStates(Path backup, long postId) throws Exception {
        Path plain = dir.resolve("inspect.db");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(backup))) {
            Files.copy(in, plain);
        }
        Map<String, Long> states = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM deliveries WHERE post_id = " + postId
                     + " GROUP BY state")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getLong(2));
            }
        }
        return states;
    }
}
