package jp.kitamoto.lists.schedules;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendHistory;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.quartz.QuartzScheduling;
import jp.kitamoto.lists.schedules.quartz.SendJob;
import jp.kitamoto.lists.schedules.quartz.SweepJob;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.service.CallService.CallDraft;
import jp.kitamoto.lists.schedules.service.SendService;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.schedules.testing.RowDistributor;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The schedules against a real SQLite file and a real Quartz scheduler, with an injected clock that the tests move.
 * The Distributor is {@link RowDistributor} (mail-server's is not merged yet): assertions are on the posts and
 * per-recipient delivery rows it creates inside the send transaction, which are what the delivery workers send.
 */
class SchedulesTest {
    private static final HolidayCalendar HOLIDAYS = HolidayCalendar.packed();
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(jst(2026, 12, 20, 10, 0));
    private final Settings settings = new SettingsLoader().loadFrom(Optional.empty(), Map.of());
    private Database db;
    private ListService lists;
    private MembershipService members;
    private RowDistributor distributor;
    private Schedules schedules;

    static Instant jst(int y, int m, int d, int h, int min) {
        return ScheduleService.instant(LocalDateTime.of(y, m, d, h, min));
    }

    @BeforeEach
    void open() {
        db = TestDatabases.freshSqlite(dir);
        wire(true);
    }

    @AfterEach
    void close() {
        schedules.stop();
        db.close();
    }

    private void wire(boolean start) {
        lists = new ListService(db, clock);
        members = new MembershipService(db, clock);
        distributor = new RowDistributor(clock);
        schedules = new Schedules(db, clock, lists, distributor, settings, HOLIDAYS);
        if (start) {
            schedules.start();
        }
    }

    /** Stops everything as a crash or shutdown would, lets time pass, and starts again on the same file. */
    private void restartAfter(Duration downtime) {
        schedules.stop();
        db.close();
        clock.advance(downtime);
        db = Database.open("jdbc:sqlite:" + dir.resolve("test.db"), "", "", 4);
        wire(true);
    }

    private MailingList list(String localPart, String name, String owner, String... addresses) {
        MailingList l = lists.create(localPart, name, "", PurposeCategory.GENERAL, ListKind.ANNOUNCE,
                ListPolicy.ANNOUNCE, ArchiveVisibility.MEMBERS, localPart, "", List.of(owner));
        for (String a : addresses) {
            members.subscribe(l.id(), a, "", SubscriptionState.ACTIVE);
        }
        return l;
    }

    private ScheduledSend send(long sendId) {
        return schedules.sends().find(sendId).orElseThrow();
    }

    private List<ScheduledSend> sendsOf(long noticeId) {
        return schedules.notices().sendsOf(noticeId);
    }

    private List<Long> postsOf(long sendId) {
        return db.read(s -> s.getMapper(SendMapper.class).findPostIds(sendId));
    }

    private List<Delivery> deliveries(long postId) {
        return db.read(s -> s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 100_000));
    }

    private void awaitState(long sendId, SendState state) {
        await().atMost(WAIT).until(() -> send(sendId).state() == state);
    }

    /** What the delivery workers would do: every pending copy of the send handed to the smarthost. */
    private void deliverAll(long sendId) {
        for (long postId : postsOf(sendId)) {
            db.inTransaction(s -> {
                for (Delivery d : s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 100_000)) {
                    s.getMapper(DeliveryMapper.class).markSent(d.id(), "250 ok", clock.millis());
                }
                return null;
            });
        }
    }

    @Test
    void oneOffNoticeIsSentAtItsTimeToEveryMemberOfItsListsOnce() throws Exception {
        MailingList bunka = list("bunka", "教育・文化", "owner-bunka@city.example", "a@example.jp", "b@example.jp",
                "c@example.jp");
        MailingList fukushi = list("fukushi", "福祉", "owner-fukushi@city.example", "c@example.jp", "d@example.jp");
        long noticeId = schedules.notices().createAndSchedule(NoticeDraft.oneOff("市民活動フェア",
                "【お知らせ】市民活動フェア {開催日}", "{リスト名}の皆さま\nフェアを開きます。\n{リンク}",
                List.of(bunka.id(), fukushi.id()), jst(2026, 12, 20, 11, 0))
                .withEvent(jst(2027, 2, 6, 10, 0), null, "https://www.city.kitamoto.lg.jp/fair"));
        long sendId = sendsOf(noticeId).get(0).id();
        assertThat(send(sendId).dueAt()).isEqualTo(jst(2026, 12, 20, 11, 0).toEpochMilli());

        assertThat(schedules.sends().fire(sendId)).as("an hour early").isEqualTo(SendService.Outcome.NOT_DUE);
        assertThat(postsOf(sendId)).isEmpty();

        clock.set(jst(2026, 12, 20, 11, 0));
        schedules.runDueNow();
        awaitState(sendId, SendState.SENDING);

        List<Long> posts = postsOf(sendId);
        assertThat(posts).hasSize(2);
        assertThat(deliveries(posts.get(0))).extracting(Delivery::recipient)
                .containsExactly("a@example.jp", "b@example.jp", "c@example.jp");
        assertThat(deliveries(posts.get(1))).extracting(Delivery::recipient)
                .containsExactly("c@example.jp", "d@example.jp");
        assertThat(send(sendId).recipients()).isEqualTo(5);
        assertThat(distributor.wakes.get()).isPositive();

        byte[] raw = db.read(s -> s.getMapper(jp.kitamoto.lists.store.PostMapper.class).findById(posts.get(0)))
                .orElseThrow().raw();
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        assertThat(m.getSubject()).isEqualTo("【お知らせ】市民活動フェア 令和9年2月6日（土） 10:00");
        assertThat(m.getFrom()[0].toString()).contains("owner-bunka@city.example");
        assertThat(m.getAllRecipients()[0].toString()).contains("bunka@ml.kitamoto.example");

        // Once: a second trigger, a sweep and a direct call change nothing.
        assertThat(schedules.sends().fire(sendId)).isEqualTo(SendService.Outcome.ALREADY_HANDLED);
        schedules.runDueNow();
        deliverAll(sendId);
        schedules.runDueNow();
        awaitState(sendId, SendState.SENT);
        assertThat(postsOf(sendId)).hasSize(2);
        assertThat(schedules.notices().find(noticeId).orElseThrow().state()).isEqualTo(NoticeState.DONE);
        List<SendHistory> history = schedules.notices().history(noticeId, 10);
        assertThat(history).singleElement().satisfies(h -> {
            assertThat(h.delivered()).isEqualTo(5);
            assertThat(h.pending()).isZero();
        });
    }

    @Test
    void quartzFiresTheSendByItselfAndEveryTriggerStatesItsMisfireInstruction() {
        MailingList l = list("council", "協議会", "owner@city.example", "a@example.jp");
        long noticeId = schedules.notices().createAndSchedule(NoticeDraft.oneOff("会議", "会議のお知らせ", "本文",
                List.of(l.id()), clock.instant().plusMillis(1500)));
        long sendId = sendsOf(noticeId).get(0).id();
        QuartzScheduling quartz = schedules.quartz();
        Trigger trigger = quartz.triggerOf(sendId);
        assertThat(trigger).isNotNull();
        assertThat(trigger.getMisfireInstruction()).isEqualTo(SimpleTrigger.MISFIRE_INSTRUCTION_FIRE_NOW);
        assertThat(SendJob.class).hasAnnotation(DisallowConcurrentExecution.class);
        assertThat(SweepJob.class).hasAnnotation(DisallowConcurrentExecution.class);

        awaitState(sendId, SendState.SENDING); // no runDueNow: the per-send trigger fired
        assertThat(deliveries(postsOf(sendId).get(0))).hasSize(1);
    }

    @Test
    void monthlyNoticeShiftsOrSkipsOnAJapanesePublicHoliday() {
        MailingList l = list("bunka", "教育・文化", "owner@city.example", "a@example.jp", "b@example.jp");
        Recurrence firstOfMonth = Recurrence.parse("monthly-day:1@09:00");
        long shifted = schedules.notices().createAndSchedule(NoticeDraft.recurring("月初のお知らせ（振替）", "月初", "本文",
                List.of(l.id()), firstOfMonth, null, SendWindow.ANY, HolidayPolicy.SHIFT_NEXT_BUSINESS_DAY));
        long skipped = schedules.notices().createAndSchedule(NoticeDraft.recurring("月初のお知らせ（スキップ）", "月初", "本文",
                List.of(l.id()), firstOfMonth, null, SendWindow.ANY, HolidayPolicy.SKIP));
        assertThat(sendsOf(shifted)).singleElement().satisfies(s -> {
            assertThat(s.nominalAt()).isEqualTo(jst(2027, 1, 1, 9, 0).toEpochMilli());
            assertThat(s.dueAt()).isEqualTo(jst(2027, 1, 4, 9, 0).toEpochMilli());
        });
        assertThat(sendsOf(skipped)).singleElement()
                .satisfies(s -> assertThat(s.dueAt()).isEqualTo(jst(2027, 2, 1, 9, 0).toEpochMilli()));

        clock.set(jst(2027, 1, 1, 9, 0));
        assertThat(schedules.sends().sweep()).as("nothing goes out on 元日").isZero();

        clock.set(jst(2027, 1, 4, 9, 0));
        schedules.runDueNow();
        long january = sendsOf(shifted).get(0).id();
        awaitState(january, SendState.SENDING);
        assertThat(sendsOf(shifted)).hasSize(2).last().satisfies(s -> {
            assertThat(s.state()).isEqualTo(SendState.SCHEDULED);
            assertThat(s.dueAt()).isEqualTo(jst(2027, 2, 1, 9, 0).toEpochMilli());
        });
        assertThat(sendsOf(skipped)).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(SendState.SCHEDULED));

        clock.set(jst(2027, 2, 1, 9, 0));
        schedules.runDueNow();
        await().atMost(WAIT).until(() -> sendsOf(skipped).get(0).state() == SendState.SENDING
                && sendsOf(shifted).get(1).state() == SendState.SENDING);
        assertThat(sendsOf(shifted).stream().filter(s -> s.state() == SendState.SENDING)).hasSize(2);
        assertThat(sendsOf(skipped).stream().filter(s -> s.state() == SendState.SENDING)).hasSize(1);
        // The next SKIP occurrence is 3/1 (a Monday, not a holiday).
        assertThat(sendsOf(skipped).get(1).dueAt()).isEqualTo(jst(2027, 3, 1, 9, 0).toEpochMilli());
    }

    @Test
    void movingTheDeadlineMovesPendingRemindersAndCancellingWithdrawsThem() {
        MailingList l = list("kyodo", "協働", "owner@city.example", "a@example.jp", "b@example.jp");
        CallService calls = schedules.calls();
        long callId = calls.create(CallDraft.of("協働事業提案 2027年度", jst(2026, 12, 1, 9, 0),
                jst(2027, 1, 15, 17, 0), "https://www.city.kitamoto.lg.jp/kyodo", List.of(l.id())));
        assertThat(dueTimes(callId)).containsExactly(
                "REMINDER 14 2027-01-01T09:00", "REMINDER 7 2027-01-08T09:00", "REMINDER 3 2027-01-12T09:00",
                "REMINDER 1 2027-01-14T09:00", "CLOSING null 2027-01-15T17:00");

        clock.set(jst(2027, 1, 1, 9, 0));
        schedules.runDueNow();
        long t14 = sendOf(callId, 14).id();
        awaitState(t14, SendState.SENDING);
        byte[] raw = db.read(s -> s.getMapper(jp.kitamoto.lists.store.PostMapper.class)
                .findById(postsOf(t14).get(0))).orElseThrow().raw();
        assertThat(new String(raw, java.nio.charset.StandardCharsets.US_ASCII)).contains("Subject: =?UTF-8?");

        calls.moveDeadline(callId, jst(2027, 1, 22, 17, 0));
        assertThat(dueTimes(callId)).containsExactly(
                "REMINDER 14 2027-01-01T09:00", // sent: stays where it was, never sent again
                "REMINDER 7 2027-01-15T09:00", "REMINDER 3 2027-01-19T09:00", "REMINDER 1 2027-01-21T09:00",
                "CLOSING null 2027-01-22T17:00");
        long t7 = sendOf(callId, 7).id();
        assertThat(schedules.quartz().triggerOf(t7).getStartTime().getTime() - System.currentTimeMillis())
                .as("trigger moved with the row").isCloseTo(send(t7).dueAt() - clock.millis(),
                        org.assertj.core.data.Offset.offset(5_000L));
        assertThat(sendsOf(sendOf(callId, 14).noticeId())).hasSize(1);
        assertThat(postsOf(t14)).hasSize(1);

        Optional<Long> cancellation = calls.cancel(callId, true);
        for (CallService.CallNotice cn : calls.notices(callId)) {
            if (cn.notice().kind() == NoticeKind.REMINDER && cn.notice().offsetDays() != 14
                    || cn.notice().kind() == NoticeKind.CLOSING) {
                assertThat(cn.sends()).allSatisfy(s -> assertThat(s.state()).isEqualTo(SendState.CANCELLED));
                assertThat(schedules.quartz().triggerOf(cn.sends().get(0).id())).as("trigger withdrawn").isNull();
            }
        }
        long cancelSend = sendsOf(cancellation.orElseThrow()).get(0).id();
        awaitState(cancelSend, SendState.SENDING);
        assertThat(deliveries(postsOf(cancelSend).get(0))).hasSize(2);
        assertThat(send(t14).state()).isEqualTo(SendState.SENDING);

        // Time passes: nothing of the cancelled call goes out.
        clock.set(jst(2027, 1, 23, 9, 0));
        assertThat(schedules.sends().sweep()).isZero();
    }

    @Test
    void aDeadlineMovedEarlierWithdrawsRemindersWhoseTimeHasPassed() {
        MailingList l = list("kyodo", "協働", "owner@city.example", "a@example.jp");
        long callId = schedules.calls().create(CallDraft.of("提案募集", jst(2026, 12, 1, 9, 0), jst(2027, 1, 15, 17, 0),
                "", List.of(l.id())));
        clock.set(jst(2027, 1, 5, 12, 0));
        schedules.calls().moveDeadline(callId, jst(2027, 1, 9, 17, 0));
        assertThat(sendOf(callId, 14).state()).as("would have been 12/26: withdrawn, not sent late")
                .isEqualTo(SendState.CANCELLED);
        assertThat(sendOf(callId, 7).state()).as("would be 1/2").isEqualTo(SendState.CANCELLED);
        assertThat(sendOf(callId, 3).dueAt()).isEqualTo(jst(2027, 1, 6, 9, 0).toEpochMilli());
        assertThat(schedules.sends().sweep()).isZero();
    }

    @Test
    void afterDowntimeASendWithinGraceGoesOutOnceAndOnePastGraceIsMarkedMissed() {
        MailingList l = list("bunka", "教育・文化", "owner@city.example", "a@example.jp", "b@example.jp");
        long withinGrace = schedules.notices().createAndSchedule(NoticeDraft.oneOff("猶予内", "猶予内", "本文",
                List.of(l.id()), jst(2026, 12, 20, 11, 0)));
        long pastGrace = schedules.notices().createAndSchedule(NoticeDraft.oneOff("猶予超過", "猶予超過", "本文",
                List.of(l.id()), jst(2026, 12, 20, 11, 0)).withGrace(Duration.ofMinutes(15)));

        restartAfter(Duration.ofMinutes(90)); // down from 10:00 to 11:30

        long sent = sendsOf(withinGrace).get(0).id();
        long missed = sendsOf(pastGrace).get(0).id();
        // No runDueNow: the triggers rebuilt at start-up misfire and fire at once.
        awaitState(sent, SendState.SENDING);
        awaitState(missed, SendState.MISSED);
        assertThat(deliveries(postsOf(sent).get(0))).extracting(Delivery::recipient)
                .containsExactly("a@example.jp", "b@example.jp");
        assertThat(postsOf(missed)).isEmpty();
        ScheduledSend m = send(missed);
        // Stored as a key and values, put into words for each reader.
        assertThat(m.detail()).startsWith("schedules.staffAlert.missed.detail?");
        assertThat(jp.kitamoto.lists.schedules.model.SendDetail.text(m.detail(), jp.kitamoto.lists.text.Texts.japanese()))
                .contains("猶予時間（15分）");
        assertThat(jp.kitamoto.lists.schedules.model.SendDetail.text(m.detail(),
                jp.kitamoto.lists.text.Texts.of(jp.kitamoto.lists.text.Texts.ENGLISH))).contains("grace period (15 min)");
        assertThat(m.staffNotified()).isEqualTo("MAILED");
        await().atMost(WAIT).until(() -> !distributor.singleCopies.isEmpty());
        assertThat(distributor.singleCopies).singleElement().satisfies(c -> {
            assertThat(c.recipient()).isEqualTo("owner@city.example");
            assertThat(c.decorate()).isFalse();
            assertThat(new String(c.message(), java.nio.charset.StandardCharsets.US_ASCII)).contains("Subject: =?UTF-8?");
        });

        restartAfter(Duration.ofMinutes(1));
        schedules.runDueNow();
        assertThat(schedules.sends().fire(sent)).isEqualTo(SendService.Outcome.ALREADY_HANDLED);
        assertThat(postsOf(sent)).hasSize(1);
        assertThat(deliveries(postsOf(sent).get(0))).hasSize(2);
        assertThat(send(missed).state()).isEqualTo(SendState.MISSED);
    }

    @Test
    void staffSendAMissedSendNowOnceButNotAReminderWhoseDeadlineHasPassed() {
        MailingList l = list("kyodo", "協働", "owner@city.example", "a@example.jp");
        clock.set(jst(2027, 1, 14, 8, 0));
        long callA = schedules.calls().create(CallDraft.of("提案募集A", jst(2026, 12, 1, 9, 0), jst(2027, 1, 15, 17, 0),
                "https://www.city.kitamoto.lg.jp/kyodo", List.of(l.id())));
        long callB = schedules.calls().create(CallDraft.of("提案募集B", jst(2026, 12, 1, 9, 0), jst(2027, 1, 15, 17, 0),
                "https://www.city.kitamoto.lg.jp/kyodo", List.of(l.id())));
        long reminderA = sendOf(callA, 1).id(); // 2027-01-14 09:00
        long reminderB = sendOf(callB, 1).id();
        restartAfter(Duration.ofHours(4)); // down until 12:00: past the 1-hour grace
        awaitState(reminderA, SendState.MISSED);
        awaitState(reminderB, SendState.MISSED);

        assertThat(schedules.sends().sendNow(reminderA)).isEqualTo(SendService.Outcome.DISTRIBUTED);
        assertThat(postsOf(reminderA)).hasSize(1);
        assertThatThrownBy(() -> schedules.sends().sendNow(reminderA)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("「失敗」と「未送信」");
        assertThat(postsOf(reminderA)).hasSize(1);

        long closingA = schedules.calls().notices(callA).stream()
                .filter(cn -> cn.notice().kind() == NoticeKind.CLOSING).findFirst().orElseThrow().sends().get(0).id();
        restartAfter(Duration.ofDays(2)); // 2027-01-16 12:00, after the deadline and the closing notice
        awaitState(closingA, SendState.MISSED);
        assertThatThrownBy(() -> schedules.sends().sendNow(reminderB)).hasMessageContaining("締切を過ぎたリマインダー");
        assertThat(postsOf(reminderB)).isEmpty();
        assertThat(schedules.sends().sendNow(closingA)).as("the closing notice belongs after the deadline")
                .isEqualTo(SendService.Outcome.DISTRIBUTED);
    }

    @Test
    void aCrashDuringA1000RecipientNoticeNeverDuplicatesAMembersCopy() {
        // Service level: mail-server's delivery workers are not merged yet, so the "worker" here marks rows sent.
        schedules.stop();
        wire(false);
        MailingList big = lists.create("zenkai", "全会員", "", PurposeCategory.GENERAL, ListKind.ANNOUNCE,
                ListPolicy.ANNOUNCE, ArchiveVisibility.MEMBERS, "zenkai", "", List.of("owner@city.example"));
        db.inTransaction(s -> {
            for (int i = 0; i < 1000; i++) {
                members.subscribe(s, big.id(), "m" + i + "@example.jp", "", SubscriptionState.ACTIVE);
            }
            return null;
        });
        long noticeId = schedules.notices().createAndSchedule(NoticeDraft.oneOff("全体のお知らせ", "件名", "本文",
                List.of(big.id()), clock.instant()));
        long sendId = sendsOf(noticeId).get(0).id();

        // 1. The process dies inside the send transaction, after the rows were written but before the commit.
        distributor.dieInsideTransaction = true;
        assertThatThrownBy(() -> schedules.sends().fire(sendId)).isInstanceOf(RowDistributor.SimulatedCrash.class);
        assertThat(send(sendId).state()).isEqualTo(SendState.SCHEDULED);
        assertThat(postsOf(sendId)).isEmpty();
        assertThat((long) db.read(s -> s.getMapper(DeliveryMapper.class).countPending())).isZero();

        // 2. Restart within grace: the send goes out, once.
        restartAfter(Duration.ofMinutes(5));
        awaitState(sendId, SendState.SENDING);
        long postId = postsOf(sendId).get(0);
        assertThat(deliveries(postId)).hasSize(1000);

        // 3. The workers sent 400 copies, then the process died. Restart: no new post, no new rows.
        db.inTransaction(s -> {
            List<Delivery> rows = s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 400);
            rows.forEach(d -> s.getMapper(DeliveryMapper.class).markSent(d.id(), "250", clock.millis()));
            return null;
        });
        restartAfter(Duration.ofMinutes(5));
        schedules.runDueNow();
        assertThat(schedules.sends().fire(sendId)).isEqualTo(SendService.Outcome.ALREADY_HANDLED);
        assertThat(postsOf(sendId)).containsExactly(postId);
        List<Delivery> rows = deliveries(postId);
        assertThat(rows).hasSize(1000);
        assertThat(rows.stream().map(Delivery::recipient).distinct()).hasSize(1000);
        assertThat(rows.stream().filter(d -> d.state() == DeliveryState.SENT)).hasSize(400);
        assertThat(rows.stream().filter(d -> d.state() == DeliveryState.PENDING)).as("left for the workers").hasSize(600);
        assertThat(send(sendId).state()).isEqualTo(SendState.SENDING);

        deliverAll(sendId);
        schedules.runDueNow();
        awaitState(sendId, SendState.SENT);
    }

    @Test
    void staffPreviewAndTestCopyShowTheMembersName() {
        MailingList l = list("bunka", "教育・文化", "owner@city.example");
        members.subscribe(l.id(), "taro@example.jp", "山田 太郎", SubscriptionState.ACTIVE);
        long id = schedules.notices().create(NoticeDraft.oneOff("講座", "講座のご案内", "{氏名}\n{リスト名}の講座です。",
                List.of(l.id()), jst(2026, 12, 24, 9, 0)));
        assertThat(schedules.notices().preview(id, l.id(), "taro@example.jp").body())
                .isEqualTo("山田 太郎 様\n教育・文化の講座です。");
        schedules.notices().sendTestCopy(id, l.id(), "staff@city.example", "北本 花子");
        assertThat(distributor.singleCopies).singleElement().satisfies(c -> {
            assertThat(c.recipient()).isEqualTo("staff@city.example");
            assertThat(c.decorate()).isTrue();
        });
        assertThat(sendsOf(id)).as("a draft is not scheduled").isEmpty();
        assertThatThrownBy(() -> schedules.notices().create(NoticeDraft.oneOff("x", "{件名}", "本文", List.of(l.id()),
                jst(2026, 12, 24, 9, 0)))).hasMessageContaining("{件名}");
    }

    @Test
    void aPausedNoticeIsNotSentAndResumesUnderTheGraceRule() {
        MailingList l = list("bunka", "教育・文化", "owner@city.example", "a@example.jp");
        long id = schedules.notices().createAndSchedule(NoticeDraft.oneOff("講座", "講座", "本文", List.of(l.id()),
                jst(2026, 12, 20, 11, 0)));
        long sendId = sendsOf(id).get(0).id();
        schedules.notices().pause(id);
        clock.set(jst(2026, 12, 20, 11, 10));
        assertThat(schedules.sends().fire(sendId)).isEqualTo(SendService.Outcome.NOT_ACTIVE);
        schedules.notices().resume(id);
        awaitState(sendId, SendState.SENDING);
        long copy = schedules.notices().duplicate(id);
        Notice dup = schedules.notices().find(copy).orElseThrow();
        assertThat(dup.state()).isEqualTo(NoticeState.DRAFT);
        assertThat(schedules.notices().listIds(copy)).containsExactly(l.id());
    }

    private ScheduledSend sendOf(long callId, int offset) {
        return schedules.calls().notices(callId).stream()
                .filter(cn -> cn.notice().kind() == NoticeKind.REMINDER && cn.notice().offsetDays() == offset)
                .findFirst().orElseThrow().sends().get(0);
    }

    private List<String> dueTimes(long callId) {
        return schedules.calls().notices(callId).stream()
                .filter(cn -> cn.notice().kind() == NoticeKind.REMINDER || cn.notice().kind() == NoticeKind.CLOSING)
                .map(cn -> cn.notice().kind() + " " + cn.notice().offsetDays() + " "
                        + ScheduleService.local(Instant.ofEpochMilli(cn.sends().get(0).dueAt())))
                .toList();
    }
}
