package jp.kitamoto.lists.app.cluster;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.app.Main;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two server processes on one PostgreSQL database (issue #11), with a GreenMail smarthost: a staff member signed in
 * through node A is signed in on node B, whose CSRF-protected form takes the token of A's page (an HTTP load balancer
 * needs no sticky sessions); a notice scheduled there for the next minute is sent once with both nodes up; and one
 * for the minute after is sent once when the node whose Quartz scheduler holds its trigger is killed with SIGKILL
 * just before its time. Real time: the staff form takes minutes, so the test waits for up to about two minutes.
 *
 * <p>Delivery between nodes (claims with leases) is the other half of #11 and not exercised here: both nodes poll
 * for pending copies only every ten minutes, so a notice's copy goes out through the wake-up of the node that
 * distributed it, and a copy counted twice could only come from the notice being distributed twice.
 */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class ClusteredNodesTest {
    private static final Pattern READY = Pattern.compile("ready in \\d+ ms: SMTP [^:]+:(\\d+) for @\\S+, web http://[^:]+:(\\d+)/");
    private static final Pattern PID = Pattern.compile("-pid(\\d+)-");
    private static final String PASSWORD = "cluster-test-パスワード-42";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final List<ServerProcess> nodes = new ArrayList<>();
    private String url;

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (ServerProcess node : nodes) {
            node.kill();
        }
    }

    @Test
    void twoNodesShareSignInsAndSendEachScheduledNoticeOnceEvenWhenTheTriggersHolderIsKilled() throws Exception {
        url = TestDatabases.freshPostgresSchemaUrl();
        long bunka = prepareList();
        ServerProcess nodeA = start(dirA);
        ServerProcess nodeB = start(dirB);

        // (c) Signed in through A; the session cookie alone, sent to B, is a signed-in session there.
        HttpSession onA = new HttpSession(web(nodeA));
        onA.login("admin", PASSWORD);
        assertThat(onA.get("/staff/schedules/notices/new").statusCode()).isEqualTo(200);
        String tokenFromA = onA.csrf;
        assertThat(tokenFromA).isNotEmpty();
        HttpSession onB = new HttpSession(web(nodeB));
        HttpCookie sessionCookie = onA.cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("KITAMOTO_SESSION")).findFirst().orElseThrow();
        onB.cookies.getCookieStore().add(URI.create(web(nodeB)), sessionCookie);
        assertThat(new HttpSession(web(nodeB)).get("/staff").statusCode()).as("B without the cookie").isEqualTo(302);
        HttpResponse<String> pageOnB = onB.get("/staff/schedules/notices/new");
        assertThat(pageOnB.statusCode()).as("signed in on B").isEqualTo(200);
        assertThat(onB.csrf).as("B's form carries the session's token from A").isEqualTo(tokenFromA);
        onB.csrf = "not-the-token";
        assertThat(onB.post("/staff/schedules/notices", noticeForm("偽造", bunka, nextMinute(20)), true).statusCode())
                .as("a wrong token is still refused on B").isEqualTo(403);
        onB.csrf = tokenFromA;

        // (a) Scheduled on B with A's token for the next minute (at least 20 s ahead), and on both nodes' Quartz.
        ZonedDateTime atA = nextMinute(20);
        ZonedDateTime atB = atA.plusMinutes(1);
        long noticeA = schedule(onB, noticeForm("クラスタ試験A", bunka, atA));
        long noticeB = schedule(onB, noticeForm("クラスタ試験B", bunka, atB));
        long sendA = sendOf(noticeA);
        long sendB = sendOf(noticeB);

        await().atMost(Duration.between(Instant.now(), atA.toInstant()).plusSeconds(90))
                .until(() -> copies("クラスタ試験A") >= 1);
        assertThat(nodeA.isAlive() && nodeB.isAlive()).isTrue();
        assertThat(posts(sendA)).as("notice A distributed once with both nodes up").hasSize(1);

        // (b) Whichever node acquires B's trigger (Quartz takes it up to 30 s ahead) is killed before it fires.
        // The holder seen by the wait itself: asking again could find the trigger already fired and gone.
        String[] holder = await().atMost(Duration.between(Instant.now(), atB.toInstant()).plusSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> holderOf(sendB), java.util.Optional::isPresent)
                .orElseThrow();
        ServerProcess victim = pidOf(holder[0]) == nodeA.pid() ? nodeA : nodeB;
        ServerProcess survivor = victim == nodeA ? nodeB : nodeA;
        victim.kill();
        Instant killedAt = Instant.now();
        System.out.printf("killed node %s (%s, trigger %s) %d ms before the notice's time%n", victim.pid(), holder[0],
                holder[1], Duration.between(killedAt, atB.toInstant()).toMillis());
        assertThat(copies("クラスタ試験B")).as("killed before the copy of B went out").isZero();
        assertThat(holder[1]).as("the trigger was held, not yet running, at the kill").isEqualTo("ACQUIRED");
        assertThat(killedAt).isBefore(atB.toInstant());

        await().atMost(Duration.between(Instant.now(), atB.toInstant()).plusSeconds(90))
                .until(() -> copies("クラスタ試験B") >= 1);
        assertThat(survivor.isAlive()).isTrue();
        System.out.printf("the survivor sent it %d ms after the kill%n", Duration.between(killedAt, Instant.now()).toMillis());
        assertThat(posts(sendB)).as("notice B distributed once, by the survivor").hasSize(1);
        assertThat(state(sendB)).isIn(SendState.SENDING, SendState.SENT);

        // And nothing more arrives: each notice reached its one member once.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> copies("クラスタ試験A") == 1 && copies("クラスタ試験B") == 1);
    }

    private ServerProcess start(Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(TestSettings.env(dir, smarthost.getSmtp().getPort(), Map.of(
                "KITAMOTO_DATABASE__URL", url,
                "KITAMOTO_DATABASE__USERNAME", TestDatabases.postgresUser(),
                "KITAMOTO_DATABASE__PASSWORD", TestDatabases.postgresPassword(),
                "KITAMOTO_DELIVERY__POLL_MILLIS", "600000",
                "KITAMOTO_ADMIN_INITIAL_PASSWORD", PASSWORD)));
        ServerProcess node = ServerProcess.start(Main.class, env, READY);
        nodes.add(node);
        return node;
    }

    private static String web(ServerProcess node) {
        return "http://127.0.0.1:" + node.readyGroup(2);
    }

    /** The seed lists and one member of bunka, before any node runs; returns bunka's id. */
    private long prepareList() {
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword(), 2)) {
            ListService lists = new ListService(db, clock);
            lists.seedIfEmpty(SeedLists.load());
            MailingList list = lists.byLocalPart("bunka").orElseThrow();
            new MembershipService(db, clock).subscribe(list.id(), "member@example.jp", "", SubscriptionState.ACTIVE);
            return list.id();
        }
    }

    /** The first whole minute (Japan time) at least {@code leadSeconds} from now: the form takes minutes. */
    private static ZonedDateTime nextMinute(int leadSeconds) {
        return ZonedDateTime.now(JapanTime.ZONE).plusSeconds(leadSeconds).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    }

    private static Map<String, String> noticeForm(String subject, long listId, ZonedDateTime at) {
        return Map.of("title", subject, "subject", subject, "body", "クラスタの試験です。\n", "mode", "once",
                "sendDate", at.format(DATE), "sendTime", at.format(TIME), "lists", Long.toString(listId),
                "grace", "60", "action", "schedule");
    }

    private static long schedule(HttpSession session, Map<String, String> form) throws Exception {
        HttpResponse<String> r = session.post("/staff/schedules/notices", form, true);
        assertThat(r.statusCode()).as("scheduled: %s", r.body()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    private long copies(String subjectMark) {
        return Arrays.stream(smarthost.getReceivedMessages()).filter(m -> subject(m).contains(subjectMark)).count();
    }

    private static String subject(MimeMessage m) {
        try {
            return Optional.ofNullable(m.getSubject()).orElse("");
        } catch (MessagingException e) {
            return "";
        }
    }

    private long sendOf(long noticeId) throws SQLException {
        return Long.parseLong(query("SELECT id FROM sched_sends WHERE notice_id = ?", noticeId).get(0)[0]);
    }

    private List<String> posts(long sendId) throws SQLException {
        return query("SELECT post_id FROM sched_send_posts WHERE send_id = ?", sendId).stream().map(r -> r[0]).toList();
    }

    private SendState state(long sendId) throws SQLException {
        return SendState.valueOf(query("SELECT state FROM sched_sends WHERE id = ?", sendId).get(0)[0]);
    }

    /** Quartz's instance name and state of the node that took the send's trigger, once one has. */
    private Optional<String[]> holderOf(long sendId) throws SQLException {
        List<String[]> rows = query("SELECT instance_name, state FROM qrtz_fired_triggers WHERE trigger_name = ?",
                "send-" + sendId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static long pidOf(String instanceName) {
        Matcher m = PID.matcher(instanceName);
        assertThat(m.find()).as("instance name %s names its process", instanceName).isTrue();
        return Long.parseLong(m.group(1));
    }

    private List<String[]> query(String sql, Object parameter) throws SQLException {
        try (Connection c = TestDatabases.unpooled(url).getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                List<String[]> out = new ArrayList<>();
                while (r.next()) {
                    String[] row = new String[r.getMetaData().getColumnCount()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = r.getString(i + 1);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }
}
