package jp.kitamoto.lists.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestMessages;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.store.AuditMapper.AuditEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The commands that work on the data (lists, members, held, posts, staff), run in-process against a server started
 * in the same test on port 0, on the database a subclass chooses (SQLite file, PostgreSQL schema). Every change must
 * be visible to the running server and in the audit log as {@code cli:tester}.
 */
abstract class CliCommandsContract {
    static final String DOMAIN = "ml.kitamoto.example";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;
    Application app;
    CliRunner cli;
    MailingList bunka;

    /** KITAMOTO_DATABASE__* for the database under test; empty for the default SQLite file. */
    abstract Map<String, String> databaseEnv();

    @BeforeEach
    void startServer() throws Exception {
        Map<String, String> env = new HashMap<>(TestSettings.env(dir.resolve("data"), smarthost.getSmtp().getPort(),
                databaseEnv()));
        app = Application.start(new SettingsLoader().loadFrom(java.util.Optional.empty(), env), false);
        cli = new CliRunner(env);
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stopServer() {
        app.close();
    }

    List<AuditEntry> audit() {
        return new AuditLog(app.database(), Clock.systemUTC()).page(null, 0, 100);
    }

    static JsonNode json(CliRunner.Result r) throws Exception {
        assertThat(r.code()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void listsShowsTheSeedListsAsTextAndJson() throws Exception {
        CliRunner.Result text = cli.run("lists");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("bunka").contains("DISCUSSION");
        JsonNode rows = json(cli.run("lists", "--json"));
        assertThat(rows.size()).isEqualTo(app.lists().all().size());
        assertThat(rows.findValuesAsText("localPart")).contains("bunka");
    }

    @Test
    void membersAddListRemoveGoThroughTheServicesAndAreAudited() throws Exception {
        CliRunner.Result add = cli.run("members", "add", "bunka", "hanako@example.jp", "--name", "北本 花子");
        assertThat(add.code()).as(add.toString()).isZero();
        assertThat(app.members().find(bunka.id(), "hanako@example.jp").orElseThrow().state())
                .isEqualTo(SubscriptionState.ACTIVE);

        JsonNode members = json(cli.run("members", "list", "bunka", "--json"));
        assertThat(members.findValuesAsText("address")).containsExactly("hanako@example.jp");
        assertThat(members.get(0).get("displayName").asText()).isEqualTo("北本 花子");

        assertThat(cli.run("members", "remove", "bunka", "hanako@example.jp").code()).isZero();
        assertThat(app.members().find(bunka.id(), "hanako@example.jp").orElseThrow().state())
                .isEqualTo(SubscriptionState.UNSUBSCRIBED);
        CliRunner.Result again = cli.run("members", "remove", "bunka", "hanako@example.jp");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("not a member");

        assertThat(audit()).extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::target)
                .contains(org.assertj.core.groups.Tuple.tuple("cli:tester", "member.add", "hanako@example.jp"),
                        org.assertj.core.groups.Tuple.tuple("cli:tester", "member.remove", "hanako@example.jp"));
        CliRunner.Result bad = cli.run("members", "add", "nosuchlist", "x@example.jp");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("no list named nosuchlist");
    }

    @Test
    void importIsADryRunUntilApplyWithTheWebImportsRules() throws Exception {
        // Excel's "CSV" on Japanese Windows: Windows-31J, header row, full-width ＠ to be normalised, 髙 and ①.
        String csv = "メールアドレス,氏名\r\ntaro＠example.jp,髙橋 太郎①\r\njiro@example.jp,次郎\r\nnot-an-address,誰か\r\n";
        Path file = dir.resolve("members.csv");
        Files.write(file, csv.getBytes(Charsets.WINDOWS_31J));

        JsonNode dry = json(cli.run("members", "import", "bunka", file.toString(), "--json"));
        assertThat(dry.get("applied").asBoolean()).isFalse();
        assertThat(dry.get("charset").asText()).startsWith("Windows-31J");
        assertThat(dry.get("counts").get("ADD").asInt()).isEqualTo(2);
        assertThat(dry.get("counts").get("REFUSE").asInt()).isEqualTo(1);
        // Each row's reason stays a sentence in the report (the web keeps a catalogue key and chooses the language).
        assertThat(dry.get("rows").get(2).get("reason").asText()).isEqualTo("メールアドレスの形式が正しくありません");
        assertThat(dry.get("rows").get(0).get("reason").asText()).isEqualTo("新しく登録します");
        assertThat(app.members().count(bunka.id(), SubscriptionState.ACTIVE)).isZero();

        CliRunner.Result applied = cli.run("members", "import", "bunka", file.toString(), "--apply");
        assertThat(applied.code()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("add 2").contains("refused 1").contains("applied");
        assertThat(app.members().count(bunka.id(), SubscriptionState.ACTIVE)).isEqualTo(2);
        assertThat(audit()).filteredOn(e -> e.action().equals("member.import-add"))
                .extracting(AuditEntry::actor).containsOnly("cli:tester").hasSize(2);

        // Export: UTF-8 with BOM by default, and 髙 and ① survive the round trip.
        Path out = dir.resolve("export.csv");
        assertThat(cli.run("members", "export", "bunka", "-o", out.toString()).code()).isZero();
        byte[] bytes = Files.readAllBytes(out);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("taro@example.jp,髙橋 太郎①");
    }

    @Test
    void heldPostsAreListedApprovedAndRejected() throws Exception {
        app.members().subscribe(bunka.id(), "member@example.jp", "", SubscriptionState.ACTIVE);
        // Non-members' posts are held on a discussion list.
        for (String subject : List.of("first", "second")) {
            try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                String reply = smtp.send("stranger@example.org", new String[]{"bunka@" + DOMAIN},
                        TestMessages.message("From: stranger@example.org\r\nTo: bunka@" + DOMAIN + "\r\nSubject: "
                                + subject + "\r\n", "hello\r\n", StandardCharsets.US_ASCII));
                assertThat(reply).contains("held");
            }
        }
        JsonNode held = json(cli.run("held", "list", "--json"));
        assertThat(held.findValuesAsText("subject")).containsExactlyInAnyOrder("first", "second");
        long first = 0;
        long second = 0;
        for (JsonNode h : held) {
            if (h.get("subject").asText().equals("first")) {
                first = h.get("id").asLong();
            } else {
                second = h.get("id").asLong();
            }
        }

        CliRunner.Result approve = cli.run("held", "approve", Long.toString(first));
        assertThat(approve.code()).as(approve.toString()).isZero();
        // The running server's delivery workers find the rows on their next poll and send the copy.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                SmarthostInbox.inbox(smarthost, "member@example.jp").stream().anyMatch(m -> subject(m).contains("first")));

        assertThat(cli.run("held", "reject", Long.toString(second), "--reason", "宣伝は投稿できません").code()).isZero();
        assertThat(json(cli.run("held", "list", "bunka", "--json")).size()).isZero();
        CliRunner.Result twice = cli.run("held", "approve", Long.toString(first));
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).contains("already decided");
        assertThat(audit()).extracting(AuditEntry::actor, AuditEntry::action).contains(
                org.assertj.core.groups.Tuple.tuple("cli:tester", "post.approve"),
                org.assertj.core.groups.Tuple.tuple("cli:tester", "post.reject"));

        await().atMost(Duration.ofSeconds(30)).until(() -> json(cli.run("posts", "status", "--json"))
                .get("pending").asLong() == 0);
        JsonNode status = json(cli.run("posts", "status", "--json"));
        assertThat(status.get("sent").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(status.get("failed").asLong()).isZero();
        assertThat(status.get("heldPosts").asLong()).isZero();
        assertThat(status.get("oldestPendingAgeSeconds").isNull()).isTrue();
        assertThat(cli.run("posts", "status").out()).contains("no copy is waiting");
    }

    @Test
    void staffAccountsAreAddedAndTheirPasswordsReset() throws Exception {
        StaffAccounts accounts = new StaffAccounts(app.database(), Clock.systemUTC());
        CliRunner.Result add = cli.runWithInput("ichiro-password-1\n", "staff", "add", "ichiro", "--role", "OWNER",
                "--name", "一郎", "--list", "bunka", "--password-stdin");
        assertThat(add.code()).as(add.toString()).isZero();
        assertThat(add.out()).doesNotContain("ichiro-password-1");
        assertThat(accounts.authenticate("ichiro", "ichiro-password-1")).isPresent()
                .get().satisfies(u -> assertThat(u.listIds()).containsExactly(bunka.id()));

        JsonNode reset = json(cli.run("staff", "reset-password", "ichiro", "--json"));
        String fresh = reset.get("password").asText();
        assertThat(accounts.authenticate("ichiro", fresh)).isPresent();
        assertThat(accounts.authenticate("ichiro", "ichiro-password-1")).isEmpty();

        CliRunner.Result taken = cli.runWithInput("another-password\n", "staff", "add", "ichiro", "--role", "OWNER",
                "--password-stdin");
        assertThat(taken.code()).isEqualTo(1);
        assertThat(cli.run("staff", "add", "jiro", "--role", "KING").code()).isEqualTo(2);
        assertThat(audit()).extracting(AuditEntry::actor, AuditEntry::action).contains(
                org.assertj.core.groups.Tuple.tuple("cli:tester", "staff.create"),
                org.assertj.core.groups.Tuple.tuple("cli:tester", "staff.password"));
    }

    private static String subject(jakarta.mail.internet.MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
