package jp.kitamoto.lists.schedules.service;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendDetail;
import jp.kitamoto.lists.schedules.model.SendHistory;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.notice.NoticeComposer;
import jp.kitamoto.lists.schedules.notice.NoticeTemplate;
import jp.kitamoto.lists.schedules.store.CallMapper;
import jp.kitamoto.lists.schedules.store.NoticeMapper;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.text.Refusal;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What staff do with notices: write (as a draft), preview for one member, send a test copy, schedule, edit,
 * pause, resume, cancel and duplicate; and what they see: upcoming sends and the history with counts.
 * Errors are {@link Refusal}s ({@link IllegalArgumentException} / {@link IllegalStateException}) that the page
 * renders in the reader's language. The title of a duplicate ("…（コピー）") is in Japanese, the staff pages' default:
 * a title is data staff may rename, not a text of the page.
 */
public final class NoticeService {
    private static final Texts TEXTS = Texts.japanese();
    private final Database db;
    private final ScheduleService timing;
    private final SendService sends;
    private final NoticeComposer composer;
    private final Distributor distributor;

    public NoticeService(Database db, ScheduleService timing, SendService sends, NoticeComposer composer,
                         Distributor distributor) {
        this.db = db;
        this.timing = timing;
        this.sends = sends;
        this.composer = composer;
        this.distributor = distributor;
    }

    /** Saves a draft; nothing is scheduled until {@link #schedule}. Returns its id. */
    public long create(NoticeDraft d) {
        validate(d);
        return db.inTransaction(s -> insert(s, d, d.rule() != null ? NoticeKind.RECURRING : NoticeKind.ONE_OFF, null, null,
                NoticeState.DRAFT, timing.now().toEpochMilli()));
    }

    /** Saves and schedules at once. Returns the notice id. */
    public long createAndSchedule(NoticeDraft d) {
        long id = create(d);
        schedule(id);
        return id;
    }

    static long insert(SqlSession s, NoticeDraft d, NoticeKind kind, Long callId, Integer offsetDays,
                       NoticeState state, long now) {
        Notice n = toNotice(0, d, kind, callId, offsetDays, state, now);
        IdHolder key = new IdHolder();
        NoticeMapper mapper = s.getMapper(NoticeMapper.class);
        mapper.insertNotice(n, key);
        for (long listId : d.listIds()) {
            mapper.insertNoticeList(key.getId(), listId);
        }
        return key.getId();
    }

    static Notice toNotice(long id, NoticeDraft d, NoticeKind kind, Long callId, Integer offsetDays,
                           NoticeState state, long now) {
        return new Notice(id, callId, kind, offsetDays, d.title(), d.subjectTemplate(), d.bodyTemplate(),
                millis(d.eventAt()), millis(d.deadlineAt()), d.link(), millis(d.sendAt()),
                d.rule() == null ? null : d.rule().text(), millis(d.startsAt()), millis(d.endsAt()),
                d.window().days(), d.window().start() == null ? null : d.window().start().toString(),
                d.window().end() == null ? null : d.window().end().toString(), d.holidayPolicy(),
                (int) d.grace().toMinutes(), state, d.createdBy(), now, now);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    static void validate(NoticeDraft d) {
        Set<String> unknown = NoticeTemplate.unknownVariables(d.subjectTemplate() + "\n" + d.bodyTemplate());
        if (!unknown.isEmpty()) {
            throw Refusal.input("schedules.refusal.notice.unknownVariables", "names", String.join(" ", unknown));
        }
        if (d.title().isBlank() || d.subjectTemplate().isBlank()) {
            throw Refusal.input("schedules.refusal.notice.titleAndSubject");
        }
    }

    /** DRAFT (or PAUSED) → ACTIVE: plans the first occurrence and its trigger. */
    public Optional<ScheduledSend> schedule(long noticeId) {
        Optional<ScheduledSend> planned = db.inTransaction(s -> {
            NoticeMapper notices = s.getMapper(NoticeMapper.class);
            long now = timing.now().toEpochMilli();
            if (notices.updateStateFrom(noticeId, NoticeState.DRAFT, NoticeState.ACTIVE, now) != 1) {
                throw Refusal.state("schedules.refusal.notice.notDraft");
            }
            return sends.planNext(s, notices.findById(noticeId).orElseThrow());
        });
        planned.ifPresent(p -> sends.triggers().scheduled(p.id(), p.dueAt()));
        return planned;
    }

    /**
     * Replaces content, targets and schedule. A scheduled notice is re-planned: its pending occurrences are
     * withdrawn and the next one computed again; occurrences already sent are untouched.
     */
    public void update(long noticeId, NoticeDraft d) {
        validate(d);
        List<Long> withdrawn = db.inTransaction(s -> {
            NoticeMapper notices = s.getMapper(NoticeMapper.class);
            Notice old = notices.findById(noticeId).orElseThrow();
            if (old.state() == NoticeState.CANCELLED || old.state() == NoticeState.DONE) {
                throw Refusal.state("schedules.refusal.notice.closed");
            }
            long now = timing.now().toEpochMilli();
            notices.updateContent(toNotice(noticeId, d, old.kind(), old.callId(), old.offsetDays(), old.state(), now),
                    now);
            notices.deleteNoticeLists(noticeId);
            d.listIds().forEach(l -> notices.insertNoticeList(noticeId, l));
            return cancelPending(s, noticeId, SendDetail.of("recalculated"), now);
        });
        withdrawn.forEach(sends.triggers()::withdrawn);
        Optional<ScheduledSend> planned = db.inTransaction(s -> {
            Notice n = s.getMapper(NoticeMapper.class).findById(noticeId).orElseThrow();
            return n.state() == NoticeState.ACTIVE ? sends.planNext(s, n) : Optional.<ScheduledSend>empty();
        });
        planned.ifPresent(p -> sends.triggers().scheduled(p.id(), p.dueAt()));
    }

    /** ACTIVE → PAUSED: its pending occurrence stays in the table but is not sent while paused. */
    public void pause(long noticeId) {
        List<ScheduledSend> pending = db.inTransaction(s -> {
            if (s.getMapper(NoticeMapper.class).updateStateFrom(noticeId, NoticeState.ACTIVE, NoticeState.PAUSED,
                    timing.now().toEpochMilli()) != 1) {
                throw Refusal.state("schedules.refusal.notice.notActive");
            }
            return scheduledOf(s, noticeId);
        });
        pending.forEach(p -> sends.triggers().withdrawn(p.id()));
    }

    /**
     * PAUSED → ACTIVE. A pending occurrence whose time passed while paused follows the grace rule: sent if still
     * within it, otherwise marked missed and staff told.
     */
    public void resume(long noticeId) {
        List<ScheduledSend> pending = db.inTransaction(s -> {
            if (s.getMapper(NoticeMapper.class).updateStateFrom(noticeId, NoticeState.PAUSED, NoticeState.ACTIVE,
                    timing.now().toEpochMilli()) != 1) {
                throw Refusal.state("schedules.refusal.notice.notPaused");
            }
            return scheduledOf(s, noticeId);
        });
        pending.forEach(p -> sends.triggers().scheduled(p.id(), p.dueAt()));
    }

    /** Withdraws every pending occurrence; what was sent stays in the history. */
    public void cancel(long noticeId) {
        List<Long> withdrawn = db.inTransaction(s -> {
            long now = timing.now().toEpochMilli();
            s.getMapper(NoticeMapper.class).updateState(noticeId, NoticeState.CANCELLED, now);
            return cancelPending(s, noticeId, SendDetail.of("noticeCancelled"), now);
        });
        withdrawn.forEach(sends.triggers()::withdrawn);
    }

    /** A new draft with the same content and lists. Returns its id. */
    public long duplicate(long noticeId) {
        return db.inTransaction(s -> {
            NoticeMapper notices = s.getMapper(NoticeMapper.class);
            Notice n = notices.findById(noticeId).orElseThrow();
            long now = timing.now().toEpochMilli();
            Notice copy = new Notice(0, null, n.kind() == NoticeKind.RECURRING ? NoticeKind.RECURRING : NoticeKind.ONE_OFF,
                    null, TEXTS.format("schedules.notice.copyTitle", "title", n.title()), n.subjectTemplate(), n.bodyTemplate(), n.eventAt(), n.deadlineAt(),
                    n.link(), n.kind() == NoticeKind.RECURRING ? null : n.sendAt(), n.rule(), n.startsAt(), n.endsAt(),
                    n.windowDays(), n.windowStart(), n.windowEnd(), n.holidayPolicy(), n.graceMinutes(),
                    NoticeState.DRAFT, n.createdBy(), now, now);
            IdHolder key = new IdHolder();
            notices.insertNotice(copy, key);
            notices.findListIds(noticeId).forEach(l -> notices.insertNoticeList(key.getId(), l));
            return key.getId();
        });
    }

    /**
     * The notice as the member with this address would read it on this list (the name filled in); for staff before
     * scheduling. The list copy itself carries {@link NoticeComposer#ALL_MEMBERS} instead of a name.
     */
    public NoticeComposer.Rendered preview(long noticeId, long listId, String memberAddress) {
        return db.read(s -> {
            Notice n = s.getMapper(NoticeMapper.class).findById(noticeId).orElseThrow();
            MailingList list = s.getMapper(ListMapper.class).findById(listId).orElseThrow();
            String name = s.getMapper(MemberMapper.class).findByKey(Addresses.key(Addresses.normalise(memberAddress)))
                    .map(Member::displayName).orElse(memberAddress);
            return composer.render(n, list, name, callTitle(s, n), previewTime(n));
        });
    }

    /** Sends one decorated copy to a staff address, subject marked as a test. */
    public long sendTestCopy(long noticeId, long listId, String staffAddress, String staffName) {
        long postId = db.inTransaction(s -> {
            Notice n = s.getMapper(NoticeMapper.class).findById(noticeId).orElseThrow();
            MailingList list = s.getMapper(ListMapper.class).findById(listId).orElseThrow();
            NoticeComposer.Rendered r = composer.render(n, list, staffName, callTitle(s, n), previewTime(n));
            NoticeComposer.Rendered test = new NoticeComposer.Rendered(
                    TEXTS.format("schedules.testCopy.subject", "subject", r.subject()), r.body());
            byte[] message = composer.personalMessage(list,
                    composer.fromAddress(s.getMapper(ListMapper.class).findOwners(listId)), staffAddress, test,
                    "notice-test." + noticeId);
            return distributor.sendOne(s, listId, staffAddress, message, true);
        });
        distributor.wake();
        return postId;
    }

    private Instant previewTime(Notice n) {
        return n.sendAt() != null ? Instant.ofEpochMilli(n.sendAt()) : timing.now();
    }

    private static String callTitle(SqlSession s, Notice n) {
        return n.callId() == null ? null
                : s.getMapper(CallMapper.class).findById(n.callId()).map(Call::title).orElse(null);
    }

    /** Cancels the notice's SCHEDULED sends with {@code why}, a {@link SendDetail}; returns their ids. */
    static List<Long> cancelPending(SqlSession s, long noticeId, String why, long now) {
        SendMapper m = s.getMapper(SendMapper.class);
        List<Long> ids = m.findByNotice(noticeId).stream().filter(x -> x.state() == SendState.SCHEDULED)
                .map(ScheduledSend::id).toList();
        m.cancelScheduledOfNotice(noticeId, why, now);
        return ids;
    }

    private static List<ScheduledSend> scheduledOf(SqlSession s, long noticeId) {
        return s.getMapper(SendMapper.class).findByNotice(noticeId).stream()
                .filter(x -> x.state() == SendState.SCHEDULED).toList();
    }

    public Optional<Notice> find(long noticeId) {
        return db.read(s -> s.getMapper(NoticeMapper.class).findById(noticeId));
    }

    public List<Long> listIds(long noticeId) {
        return db.read(s -> s.getMapper(NoticeMapper.class).findListIds(noticeId));
    }

    public List<Notice> recent(int limit) {
        return db.read(s -> s.getMapper(NoticeMapper.class).findRecent(limit));
    }

    public List<ScheduledSend> sendsOf(long noticeId) {
        return db.read(s -> s.getMapper(SendMapper.class).findByNotice(noticeId));
    }

    /** Pending sends from now on, soonest first. */
    public List<ScheduledSend> upcoming(int limit) {
        return db.read(s -> s.getMapper(SendMapper.class).findUpcoming(0, limit));
    }

    /** What went out (or should have), with per-recipient counts; {@code noticeId} null for all notices. */
    public List<SendHistory> history(Long noticeId, int limit) {
        return db.read(s -> s.getMapper(SendMapper.class).findHistory(noticeId, limit));
    }
}
