package jp.kitamoto.lists.app.cli;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.app.ops.Backups;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Trigger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Backup, restore, the server lock, the daily backup, check-config and usage errors, on SQLite. */
class CliOperationsTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    private Map<String, String> env(Map<String, String> extra) {
        return new HashMap<>(TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(), extra));
    }

    private static Settings settings(Map<String, String> env) {
        return new SettingsLoader().loadFrom(Optional.empty(), env);
    }

    @Test
    void backupWhileRunningRestoreOnlyWhenStoppedKeepingTheReplacedFileAside() throws Exception {
        Map<String, String> env = env(Map.of("KITAMOTO_BACKUP__KEEP", "2"));
        CliRunner cli = new CliRunner(env);
        Path db = dir.resolve("data").resolve("lists.db");
        Path backupFile;
        try (Application app = Application.start(settings(env), false)) {
            long bunka = app.lists().byLocalPart("bunka").orElseThrow().id();
            app.members().subscribe(bunka, "before@example.jp", "", SubscriptionState.ACTIVE);

            CliRunner.Result backup = cli.run("backup", "--json");
            assertThat(backup.code()).as(backup.toString()).isZero();
            backupFile = Path.of(CliCommandsContract.json(backup).get("file").asText());
            assertThat(backupFile.getParent()).isEqualTo(dir.resolve("data").resolve("backups").toAbsolutePath());
            assertThat(backupFile.getFileName().toString()).matches("lists-\\d{8}-\\d{6}-\\d{3}\\.db\\.gz");

            // A change after the backup, which the restore must take away again.
            app.members().subscribe(bunka, "after@example.jp", "", SubscriptionState.ACTIVE);

            // Retention: with keep 2, the third and fourth backups delete the oldest ones.
            Path other = dir.resolve("elsewhere");
            for (int i = 0; i < 3; i++) {
                assertThat(cli.run("backup", "--to", other.toString()).code()).isZero();
            }
            assertThat(Backups.list(other)).hasSize(2);

            CliRunner.Result refused = cli.run("restore", backupFile.toString());
            assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("a server is running").contains("pid " + ProcessHandle.current().pid())
                    .contains("SMTP port " + app.smtpPort());
            assertThat(app.members().find(bunka, "after@example.jp")).isPresent();
        }

        CliRunner.Result restore = cli.run("restore", backupFile.toString());
        assertThat(restore.code()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("kept as");
        try (var aside = Files.list(db.getParent())) {
            assertThat(aside.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("lists.db.replaced-"));
        }
        try (Application app = Application.start(settings(env), false)) {
            long bunka = app.lists().byLocalPart("bunka").orElseThrow().id();
            assertThat(app.members().find(bunka, "before@example.jp")).isPresent();
            assertThat(app.members().find(bunka, "after@example.jp")).isEmpty();
        }

        Path notABackup = dir.resolve("notes.txt");
        Files.writeString(notABackup, "this is not a database");
        CliRunner.Result bad = cli.run("restore", notABackup.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("not an SQLite database");
    }

    @Test
    void aServerDoesNotStartWhileARestoreHoldsTheDatabase() throws Exception {
        Map<String, String> env = env(Map.of());
        Path db = dir.resolve("data").resolve("lists.db");
        try (var restoring = jp.kitamoto.lists.app.ops.ServerLock.acquire(db, "restore from test")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Application.start(settings(env), false))
                    .hasMessageContaining("restore from test");
        }
    }

    @Test
    void dailyBackupRunsOnTheServersQuartzAtTheJapanTimeSet() throws Exception {
        Map<String, String> env = env(Map.of("KITAMOTO_BACKUP__DAILY_AT", "03:30"));
        try (Application app = Application.start(settings(env), false)) {
            Trigger trigger = app.schedules().quartz().dailyTrigger(Application.DAILY_BACKUP);
            ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(ZoneId.of("Asia/Tokyo"));
            assertThat(next.getHour()).isEqualTo(3);
            assertThat(next.getMinute()).isEqualTo(30);
            // Not waiting for 03:30: run the same Quartz job now and see its file appear.
            app.schedules().quartz().runDailyNow(Application.DAILY_BACKUP);
            Path backups = dir.resolve("data").resolve("backups");
            await().atMost(Duration.ofSeconds(30)).until(() -> Backups.list(backups).size() == 1);
        }
    }

    @Test
    void checkConfigNamesTheProblemAndUsageErrorsExitTwo() {
        CliRunner ok = new CliRunner(env(Map.of("KITAMOTO_ADMIN_INITIAL_PASSWORD", "xxxxxxxxxxxx")));
        CliRunner.Result good = ok.run("check-config");
        assertThat(good.code()).as(good.toString()).isZero();
        assertThat(good.out()).contains("configuration OK")
                .contains("KITAMOTO_ADMIN_INITIAL_PASSWORD: not a setting").doesNotContain("xxxxxxxxxxxx");

        CliRunner.Result typo = new CliRunner(env(Map.of("KITAMOTO_SMTP__PROT", "25"))).run("check-config");
        assertThat(typo.code()).isEqualTo(1);
        assertThat(typo.err()).contains("KITAMOTO_SMTP__PROT");
        CliRunner.Result dailyOnPostgres = new CliRunner(env(Map.of("KITAMOTO_BACKUP__DAILY_AT", "03:30",
                "KITAMOTO_DATABASE__URL", "jdbc:postgresql://127.0.0.1/none"))).run("check-config");
        assertThat(dailyOnPostgres.code()).isEqualTo(1);
        assertThat(dailyOnPostgres.err()).contains("backup.daily-at").contains("pg_dump");

        // No server has run on this data dir: a data command says so instead of creating an empty database.
        CliRunner.Result noDatabase = ok.run("lists");
        assertThat(noDatabase.code()).isEqualTo(1);
        assertThat(noDatabase.err()).contains("there is no database");
        assertThat(dir.resolve("data").resolve("lists.db")).doesNotExist();

        assertThat(ok.run("no-such-command").code()).isEqualTo(2);
        assertThat(ok.run("members").code()).isEqualTo(2);
        assertThat(ok.run("members", "list").code()).isEqualTo(2);
        assertThat(ok.run("--no-such-option").code()).isEqualTo(2);
        CliRunner.Result importHelp = ok.run("members", "import", "--help");
        assertThat(importHelp.code()).isZero();
        assertThat(importHelp.out()).contains("--apply", "--config", "--json");
        CliRunner.Result help = ok.run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("serve", "lists", "members", "held", "posts", "staff", "backup", "restore",
                "check-config");
    }
}
