package jp.kitamoto.lists.schedules;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.testing.NoticeServerMain;
import jp.kitamoto.lists.schedules.testing.RowDistributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process level: the server (mail-server + schedules, {@link NoticeServerMain}) is killed with SIGKILL while a
 * scheduled notice is being delivered to 1,000 members, then started again on the same data. Every member must end
 * with a copy, duplicates bounded by the SMTP connections open at the kill, and the notice distributed once.
 */
class NoticeCrashRecoveryTest {
    private static final int MEMBERS = 1000;
    private static final int CONNECTIONS = 4;

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;

    @Test
    void killedWhileDeliveringANoticeThenRestartedEveryMemberGetsOneCopy() throws Exception {
        Map<String, String> env = Map.of("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(CONNECTIONS));
        Settings settings = TestSettings.forTest(dataDir, smarthost.getSmtp().getPort(), env);
        long sendId = scheduleNoticeToMembers(settings);

        Process first = startServer(settings, env);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                .until(() -> smarthost.getReceivedMessages().length >= 100);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        first.waitFor();
        int atKill = smarthost.getReceivedMessages().length;
        assertThat(atKill).as("the kill must land in the middle of the delivery").isLessThan(MEMBERS);

        Process second = startServer(settings, env);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> distinctRecipients() == MEMBERS);
            await().atMost(Duration.ofSeconds(30)).until(() -> pendingRows(settings) == 0);
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(distinctRecipients()).isEqualTo(MEMBERS);
        assertThat(smarthost.getReceivedMessages().length - MEMBERS)
                .as("duplicates after the kill (copies at kill: %d)", atKill).isBetween(0, CONNECTIONS);
        try (Database db = Database.open(settings)) {
            db.addMappers(SendMapper.class);
            List<Long> posts = db.read(s -> s.getMapper(SendMapper.class).findPostIds(sendId));
            assertThat(posts).as("distributed once").hasSize(1);
            assertThat(db.read(s -> s.getMapper(SendMapper.class).findById(sendId)).orElseThrow().state())
                    .isIn(SendState.SENDING, SendState.SENT);
        }
    }

    /** A list with 1,000 members and a notice due in a moment; the server is not running yet. */
    private static long scheduleNoticeToMembers(Settings settings) {
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(settings)) {
            ListService lists = new ListService(db, clock);
            MailingList big = lists.create("zenkai", "全会員", "全会員へのお知らせ", PurposeCategory.GENERAL,
                    ListKind.ANNOUNCE, ListPolicy.ANNOUNCE, ArchiveVisibility.MEMBERS, "zenkai", "北本市",
                    List.of("owner@city.example"));
            MembershipService members = new MembershipService(db, clock);
            db.inTransaction(s -> {
                for (int i = 0; i < MEMBERS; i++) {
                    members.subscribe(s, big.id(), "member" + i + "@example.jp", "", SubscriptionState.ACTIVE);
                }
                return null;
            });
            // Scheduling needs no running scheduler: the row is the truth, the server builds its trigger at start-up.
            Schedules schedules = new Schedules(db, clock, lists, new RowDistributor(clock), settings);
            long noticeId = schedules.notices().createAndSchedule(NoticeDraft.oneOff("全体のお知らせ",
                    "全会員へのお知らせ", "本文です。\n", List.of(big.id()), clock.instant().plusSeconds(1)));
            return schedules.notices().sendsOf(noticeId).get(0).id();
        }
    }

    private static Process startServer(Settings settings, Map<String, String> extraEnv) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, NoticeServerMain.class.getName());
        pb.redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KITAMOTO_"));
        env.put("KITAMOTO_SERVER__DATA_DIR", settings.server().dataDir());
        env.put("KITAMOTO_SMTP__PORT", "0");
        env.put("KITAMOTO_WEB__PORT", "0");
        env.put("KITAMOTO_SMARTHOST__PORT", Integer.toString(settings.smarthost().port()));
        env.put("KITAMOTO_DELIVERY__POLL_MILLIS", "100");
        env.putAll(extraEnv);
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || lines.contains("notice server ready"));
        if (!p.isAlive()) {
            throw new IllegalStateException("server did not start:\n" + String.join("\n", lines));
        }
        return p;
    }

    private static long distinctRecipients() {
        // The VERP envelope sender (Return-Path) names the subscription: unique per member.
        return Arrays.stream(smarthost.getReceivedMessages()).map(m -> {
            try {
                return m.getHeader("Return-Path", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).distinct().count();
    }

    private static long pendingRows(Settings settings) {
        try (Database db = Database.open(settings)) {
            return db.read(s -> s.getMapper(DeliveryMapper.class).countPending());
        }
    }
}
