package jp.kitamoto.lists.app.schedules;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.MailServer;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.SendWindow;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The schedules end to end, here in app because it needs the whole mail server (schedules itself knows only core's
 * Distributor contract). With mail-server's real Distributor and delivery workers, GreenMail as the smarthost (dynamic port):
 * assertions are on what each recipient received.
 */
class SchedulesEndToEndTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final HolidayCalendar HOLIDAYS = HolidayCalendar.packed();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(jst(2026, 12, 20, 10, 0));
    private Settings settings;
    private Database db;
    private ListService lists;
    private MembershipService members;
    private MailServer mail;
    private Schedules schedules;

    static Instant jst(int y, int m, int d, int h, int min) {
        return ScheduleService.instant(LocalDateTime.of(y, m, d, h, min));
    }

    @BeforeEach
    void start() throws Exception {
        settings = new SettingsLoader().loadFrom(Optional.empty(), Map.of(
                "KITAMOTO_SMTP__PORT", "0",
                "KITAMOTO_SMARTHOST__HOST", "127.0.0.1",
                "KITAMOTO_SMARTHOST__PORT", Integer.toString(smarthost.getSmtp().getPort()),
                "KITAMOTO_SERVER__DATA_DIR", dir.resolve("data").toString(),
                "KITAMOTO_DELIVERY__POLL_MILLIS", "50"));
        db = TestDatabases.freshSqlite(dir);
        wire();
    }

    private void wire() throws Exception {
        lists = new ListService(db, clock);
        members = new MembershipService(db, clock);
        mail = MailServer.start(settings, db, lists, clock);
        schedules = new Schedules(db, clock, lists, mail.distributor(), settings, HOLIDAYS);
        schedules.start();
    }

    private void stopAll() {
        schedules.stop();
        mail.close();
        db.close();
    }

    private void restartAfter(Duration downtime) throws Exception {
        stopAll();
        clock.advance(downtime);
        db = Database.open("jdbc:sqlite:" + dir.resolve("test.db"), "", "", 4);
        wire();
    }

    @AfterEach
    void stop() {
        stopAll();
    }

    private MailingList list(String localPart, String name, String owner, String... addresses) {
        MailingList l = lists.create(localPart, name, name + "のお知らせ", PurposeCategory.GENERAL, ListKind.ANNOUNCE,
                ListPolicy.ANNOUNCE, ArchiveVisibility.MEMBERS, localPart, "北本市 " + name, List.of(owner));
        for (String a : addresses) {
            members.subscribe(l.id(), a, "", SubscriptionState.ACTIVE);
        }
        return l;
    }

    /** The subjects of what GreenMail delivered to this envelope recipient's mailbox. */
    private static List<String> subjectsFor(String address) {
        try {
            GreenMailUser user = smarthost.getUserManager().getUserByEmail(address);
            if (user == null) {
                return List.of();
            }
            List<String> out = new java.util.ArrayList<>();
            for (StoredMessage m : smarthost.getManagers().getImapHostManager().getInbox(user).getMessages()) {
                out.add(m.getMimeMessage().getSubject());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long sendOf(long noticeId) {
        return schedules.notices().sendsOf(noticeId).get(0).id();
    }

    private SendState state(long sendId) {
        return schedules.sends().find(sendId).orElseThrow().state();
    }

    @Test
    void oneOffNoticeReachesEveryMemberOnceDecoratedLikeAPost() throws Exception {
        MailingList bunka = list("bunka", "教育・文化", "owner@city.example", "a@example.jp", "b@example.jp",
                "c@example.jp");
        long noticeId = schedules.notices().createAndSchedule(NoticeDraft.oneOff("市民活動フェア",
                "市民活動フェアのお知らせ", "{リスト名}の皆さま\n{開催日}にフェアを開きます。\n",
                List.of(bunka.id()), jst(2026, 12, 20, 11, 0)).withEvent(jst(2027, 2, 6, 10, 0), null, ""));
        long sendId = sendOf(noticeId);
        clock.set(jst(2026, 12, 20, 11, 0));
        schedules.runDueNow();

        assertThat(smarthost.waitForIncomingEmail(WAIT.toMillis(), 3)).isTrue();
        await().atMost(WAIT).until(() -> {
            schedules.sends().reconcile();
            return state(sendId) == SendState.SENT;
        });
        schedules.runDueNow();
        schedules.sends().sweep();
        MimeMessage[] got = smarthost.getReceivedMessages();
        assertThat(got).hasSize(3);
        assertThat(Arrays.stream(got).map(m -> {
            try {
                return m.getAllRecipients()[0].toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).allMatch(r -> r.contains("bunka@ml.kitamoto.example"));
        MimeMessage first = got[0];
        assertThat(first.getSubject()).isEqualTo("[bunka:00001] 市民活動フェアのお知らせ");
        assertThat(first.getHeader("List-Unsubscribe-Post")).as("RFC 8058 one-click").isNotNull();
        assertThat(first.getHeader("List-Id")).isNotNull();
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(first);
        assertThat(decode(first)).contains("教育・文化の皆さま").contains("令和9年2月6日（土） 10:00").contains("北本市 教育・文化");
        assertThat(body).isNotEmpty();
    }

    private static String decode(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (content instanceof String s) {
            return s;
        }
        jakarta.mail.Multipart mp = (jakarta.mail.Multipart) content;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < mp.getCount(); i++) {
            Object part = mp.getBodyPart(i).getContent();
            all.append(part instanceof String s ? s : "");
        }
        return all.toString();
    }

    @Test
    void afterDowntimeTheSendWithinGraceGoesOutOnceAndTheOwnerHearsOfTheMissedOne() throws Exception {
        MailingList l = list("kyogikai", "協議会", "owner@city.example", "a@example.jp", "b@example.jp");
        long within = schedules.notices().createAndSchedule(NoticeDraft.oneOff("定例会", "定例会のお知らせ", "本文\n",
                List.of(l.id()), jst(2026, 12, 20, 11, 0)));
        long past = schedules.notices().createAndSchedule(NoticeDraft.oneOff("臨時会", "臨時会のお知らせ", "本文\n",
                List.of(l.id()), jst(2026, 12, 20, 11, 0)).withGrace(Duration.ofMinutes(15)));
        restartAfter(Duration.ofMinutes(90));

        assertThat(smarthost.waitForIncomingEmail(WAIT.toMillis(), 3)).isTrue();
        await().atMost(WAIT).until(() -> state(sendOf(past)) == SendState.MISSED);
        await().atMost(WAIT).until(() -> db.read(s -> s.getMapper(DeliveryMapper.class).countPending()) == 0);
        assertThat(subjectsFor("a@example.jp")).containsExactly("[kyogikai:00001] 定例会のお知らせ");
        assertThat(subjectsFor("b@example.jp")).containsExactly("[kyogikai:00001] 定例会のお知らせ");
        assertThat(subjectsFor("owner@city.example")).containsExactly("【未送信】臨時会");
        assertThat(smarthost.getReceivedMessages()).hasSize(3);
        assertThat(state(sendOf(within))).isIn(SendState.SENDING, SendState.SENT);
    }

    @Test
    void monthlyNoticeOnNewYearsDayIsShiftedToTheNextBusinessDay() {
        MailingList l = list("bunka", "教育・文化", "owner@city.example", "a@example.jp", "b@example.jp");
        long noticeId = schedules.notices().createAndSchedule(NoticeDraft.recurring("月初のお知らせ", "今月の予定",
                "今月の予定です。\n", List.of(l.id()), Recurrence.parse("monthly-day:1@09:00"), null, SendWindow.ANY,
                HolidayPolicy.SHIFT_NEXT_BUSINESS_DAY));

        clock.set(jst(2027, 1, 1, 9, 0));
        assertThat(schedules.sends().sweep()).as("元日: nothing due").isZero();
        assertThat((long) db.read(s -> s.getMapper(DeliveryMapper.class).countPending())).isZero();

        clock.set(jst(2027, 1, 4, 9, 0));
        schedules.runDueNow();
        assertThat(smarthost.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
        assertThat(subjectsFor("a@example.jp")).containsExactly("[bunka:00001] 今月の予定");
        assertThat(subjectsFor("b@example.jp")).containsExactly("[bunka:00001] 今月の予定");
        assertThat(schedules.notices().sendsOf(noticeId)).last()
                .satisfies(s -> assertThat(s.dueAt()).isEqualTo(jst(2027, 2, 1, 9, 0).toEpochMilli()));
    }

    @Test
    void aMovedDeadlineMovesPendingRemindersAndCancellingSendsOnlyTheCancellationNotice() {
        MailingList l = list("kyodo", "協働", "owner@city.example", "a@example.jp", "b@example.jp");
        long callId = schedules.calls().create(CallService.CallDraft.of("協働事業提案 2027年度", jst(2026, 12, 1, 9, 0),
                jst(2027, 1, 15, 17, 0), "https://www.city.kitamoto.lg.jp/kyodo", List.of(l.id())));
        clock.set(jst(2027, 1, 1, 9, 0));
        schedules.runDueNow();
        assertThat(smarthost.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
        assertThat(subjectsFor("a@example.jp")).containsExactly("[kyodo:00001] 【締切まであと14日】協働事業提案 2027年度");

        schedules.calls().moveDeadline(callId, jst(2027, 1, 22, 17, 0));
        clock.set(jst(2027, 1, 8, 9, 0)); // the old T-7: nothing goes out now
        assertThat(schedules.sends().sweep()).isZero();
        clock.set(jst(2027, 1, 15, 9, 0)); // the new T-7
        schedules.runDueNow();
        assertThat(smarthost.waitForIncomingEmail(WAIT.toMillis(), 4)).isTrue();
        assertThat(subjectsFor("b@example.jp")).containsExactly(
                "[kyodo:00001] 【締切まであと14日】協働事業提案 2027年度", "[kyodo:00002] 【締切まであと7日】協働事業提案 2027年度");

        schedules.calls().cancel(callId, true);
        assertThat(smarthost.waitForIncomingEmail(WAIT.toMillis(), 6)).isTrue();
        clock.set(jst(2027, 1, 23, 9, 0)); // past every withdrawn reminder and the closing notice
        assertThat(schedules.sends().sweep()).isZero();
        await().atMost(WAIT).until(() -> db.read(s -> s.getMapper(DeliveryMapper.class).countPending()) == 0);
        assertThat(subjectsFor("a@example.jp")).containsExactly(
                "[kyodo:00001] 【締切まであと14日】協働事業提案 2027年度", "[kyodo:00002] 【締切まであと7日】協働事業提案 2027年度",
                "[kyodo:00003] 【募集中止】協働事業提案 2027年度");
        assertThat(smarthost.getReceivedMessages()).hasSize(6);
    }
}
