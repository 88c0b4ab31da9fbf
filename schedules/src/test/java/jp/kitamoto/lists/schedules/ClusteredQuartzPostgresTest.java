package jp.kitamoto.lists.schedules;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.testing.RowDistributor;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One node on PostgreSQL: Quartz runs on its clustered JDBC store (migration V201's tables), not in memory; a send's
 * trigger is a row that survives a restart of the node, requests recovery (so another node re-runs a send whose node
 * died while running it), and fires the send once. Two nodes, and one killed, are app's
 * {@code cluster/ClusteredNoticesTest}.
 */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class ClusteredQuartzPostgresTest {
    private final Clock clock = Clock.systemUTC();
    private final Settings settings = new SettingsLoader().loadFrom(Optional.empty(), Map.of());
    private String url;
    private Database db;
    private Schedules schedules;

    @BeforeEach
    void start() {
        url = TestDatabases.freshPostgresSchemaUrl();
        db = Database.open(url, TestDatabases.postgresUser(), TestDatabases.postgresPassword(), 4);
        schedules = new Schedules(db, clock, new ListService(db, clock), new RowDistributor(clock), settings,
                HolidayCalendar.packed());
        schedules.start();
    }

    @AfterEach
    void stop() {
        schedules.stop();
        db.close();
    }

    @Test
    void aSendsTriggerIsARowOfTheClusteredStoreThatSurvivesARestartAndFiresOnce() throws Exception {
        assertThat(schedules.quartz().clustered()).isTrue();
        assertThat(query("SELECT instance_name FROM qrtz_scheduler_state"))
                .containsExactly(schedules.quartz().instanceId());
        assertThat(schedules.quartz().instanceId()).contains("-pid" + ProcessHandle.current().pid() + "-");

        MailingList list = new ListService(db, clock).create("kaigi", "会議", "", PurposeCategory.GENERAL,
                ListKind.ANNOUNCE, ListPolicy.ANNOUNCE, ArchiveVisibility.MEMBERS, "kaigi", "", List.of());
        new MembershipService(db, clock).subscribe(list.id(), "a@example.jp", "", SubscriptionState.ACTIVE);
        long later = schedules.notices().createAndSchedule(NoticeDraft.oneOff("来月", "来月の会議", "本文",
                List.of(list.id()), Instant.now().plus(Duration.ofDays(30))));
        long laterSend = schedules.notices().sendsOf(later).get(0).id();
        assertThat(query("SELECT requests_recovery FROM qrtz_job_details WHERE job_name = 'send-" + laterSend + "'"))
                .containsExactly("t");

        // A restart (another node starting would do the same) keeps the trigger and adds no second one.
        schedules.stop();
        schedules.start();
        assertThat(query("SELECT trigger_name FROM qrtz_triggers WHERE trigger_group = 'sched-sends'"))
                .containsExactly("send-" + laterSend);
        assertThat(query("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'sweep'")).containsExactly("1");

        long soon = schedules.notices().createAndSchedule(NoticeDraft.oneOff("まもなく", "まもなく", "本文",
                List.of(list.id()), Instant.now().plusSeconds(2)));
        long soonSend = schedules.notices().sendsOf(soon).get(0).id();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> schedules.sends().find(soonSend).orElseThrow().state() == SendState.SENDING);
        List<Long> posts = db.read(s -> s.getMapper(SendMapper.class).findPostIds(soonSend));
        assertThat(posts).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                query("SELECT trigger_name FROM qrtz_triggers WHERE trigger_name = 'send-" + soonSend + "'").isEmpty());
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection c = TestDatabases.unpooled(url).getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out;
        }
    }
}
