package jp.kitamoto.lists.app.schedules;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.testing.RowDistributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.ServerProcess;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Process level, here in app because it runs the whole mail server: the server (mail-server + schedules, {@link NoticeServerMain}) is killed with SIGKILL while a
 * scheduled notice is being delivered to 1,000 members, then started again on the same data. Every member must end
 * with a copy, duplicates bounded by the SMTP connections open at the kill, and the notice distributed once.
 */
class NoticeCrashRecoveryTest {
    private static final int MEMBERS = 1000;
    private static final int CONNECTIONS = 4;
    private static final Pattern READY = Pattern.compile("notice server ready");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;

    @Test
    void killedWhileDeliveringANoticeThenRestartedEveryMemberGetsOneCopy() throws Exception {
        Map<String, String> env = Map.of("KITAMOTO_DELIVERY__CONNECTIONS", Integer.toString(CONNECTIONS));
        Settings settings = TestSettings.forTest(dataDir, smarthost.getSmtp().getPort(), env);
        long sendId = scheduleNoticeToMembers(settings);

        Map<String, String> serverEnv = TestSettings.env(dataDir, smarthost.getSmtp().getPort(), env);
        ServerProcess first = ServerProcess.start(NoticeServerMain.class, serverEnv, READY);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                .until(() -> smarthost.getReceivedMessages().length >= 100);
        first.kill();
        int atKill = smarthost.getReceivedMessages().length;
        assertThat(atKill).as("the kill must land in the middle of the delivery").isLessThan(MEMBERS);

        ServerProcess second = ServerProcess.start(NoticeServerMain.class, serverEnv, READY);
        try {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> SmarthostInbox.distinctReturnPaths(smarthost) == MEMBERS);
            await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabases.pendingDeliveries(settings) == 0);
        } finally {
            second.stop();
        }
        assertThat(SmarthostInbox.distinctReturnPaths(smarthost)).isEqualTo(MEMBERS);
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
}
