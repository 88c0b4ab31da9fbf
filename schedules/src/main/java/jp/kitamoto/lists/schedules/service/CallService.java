package jp.kitamoto.lists.schedules.service;

import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.CallState;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendDetail;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.store.CallMapper;
import jp.kitamoto.lists.schedules.store.NoticeMapper;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.text.Refusal;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Calls for proposals (募集) and the notices that follow from them: a reminder at each offset before the deadline
 * (default T-14, T-7, T-3, T-1 at 9:00), a closing notice at the deadline, an optional results notice.
 *
 * <p>Moving the deadline moves every reminder that has not gone out yet (one whose new time has already passed is
 * withdrawn, never sent late) and adds reminders that the later deadline brings back into the future. Reminders
 * already sent are never sent again. Cancelling the call withdraws everything pending and can send a cancellation
 * notice at once.
 *
 * <p>It stays one class (about 300 lines, a third of them the input records {@link CallDraft} and
 * {@link CallTemplates}) because creating, moving and cancelling a call each change the call, its notices and their
 * sends in one transaction, by the same rules of which reminder is still to come.
 */
public final class CallService {
    public static final List<Integer> DEFAULT_OFFSETS = List.of(14, 7, 3, 1);
    public static final LocalTime DEFAULT_TIME = LocalTime.of(9, 0);
    /**
     * The language of what a call writes for its lists: the default templates of its notices (what members read)
     * and the titles it gives them (what staff see in the lists of notices, and may rename). Both are stored once
     * per notice and sent to a whole list as one shared message, so they are in the list's language, which is
     * Japanese for every list today; an English page shows such a title as data, as it shows what staff typed.
     */
    private static final Texts LIST_LANGUAGE = Texts.japanese();

    /**
     * The templates of a call's notices; {@link #defaults()} are written for Kitamoto City and live in core's message
     * catalogue ({@code schedules.call.*}), in the notice-template language ({@code {募集名}}, {@code {締切}}, ...).
     */
    public record CallTemplates(String reminderSubject, String reminderBody, String closingSubject,
                                String closingBody, String resultsSubject, String resultsBody,
                                String cancelSubject, String cancelBody) {
        public static CallTemplates defaults() {
            Texts t = LIST_LANGUAGE;
            return new CallTemplates(
                    t.get("schedules.call.reminder.subject"), t.get("schedules.call.reminder.body"),
                    t.get("schedules.call.closing.subject"), t.get("schedules.call.closing.body"),
                    t.get("schedules.call.results.subject"), t.get("schedules.call.results.body"),
                    t.get("schedules.call.cancel.subject"), t.get("schedules.call.cancel.body"));
        }
    }

    /** What staff enter for a call. */
    public record CallDraft(String title, Instant opensAt, Instant deadlineAt, List<Integer> reminderOffsets,
                            LocalTime reminderTime, String link, List<Long> listIds, boolean closingNotice,
                            Instant resultsAt, CallTemplates templates, Duration grace, String createdBy) {
        public CallDraft {
            Objects.requireNonNull(title);
            Objects.requireNonNull(opensAt);
            Objects.requireNonNull(deadlineAt);
            reminderOffsets = reminderOffsets.stream().distinct().sorted((a, b) -> b - a).toList();
            if (reminderOffsets.stream().anyMatch(o -> o < 0 || o > 365)) {
                throw Refusal.input("schedules.refusal.call.offsets");
            }
            reminderTime = reminderTime == null ? DEFAULT_TIME : reminderTime;
            link = link == null ? "" : link;
            listIds = List.copyOf(listIds);
            if (listIds.isEmpty()) {
                throw Refusal.input("schedules.refusal.call.noList");
            }
            if (!deadlineAt.isAfter(opensAt)) {
                throw Refusal.input("schedules.refusal.call.deadlineBeforeOpening");
            }
            templates = templates == null ? CallTemplates.defaults() : templates;
            grace = grace == null ? NoticeDraft.DEFAULT_GRACE : grace;
            createdBy = createdBy == null ? "" : createdBy;
        }

        /** Default reminders (T-14, T-7, T-3, T-1 at 9:00) and a closing notice, no results notice. */
        public static CallDraft of(String title, Instant opensAt, Instant deadlineAt, String link, List<Long> listIds) {
            return new CallDraft(title, opensAt, deadlineAt, DEFAULT_OFFSETS, DEFAULT_TIME, link, listIds, true, null,
                    null, null, "");
        }

        public CallDraft withReminders(List<Integer> offsets, LocalTime at) {
            return new CallDraft(title, opensAt, deadlineAt, offsets, at, link, listIds, closingNotice, resultsAt,
                    templates, grace, createdBy);
        }

        public CallDraft withResultsAt(Instant at) {
            return new CallDraft(title, opensAt, deadlineAt, reminderOffsets, reminderTime, link, listIds,
                    closingNotice, at, templates, grace, createdBy);
        }
    }

    /** A notice of a call with its occurrences (one per notice), for the call's page. */
    public record CallNotice(Notice notice, List<ScheduledSend> sends) {
    }

    private final Database db;
    private final ScheduleService timing;
    private final SendService sends;

    public CallService(Database db, ScheduleService timing, SendService sends) {
        this.db = db;
        this.timing = timing;
        this.sends = sends;
    }

    /** Creates the call and schedules its notices. Reminders whose time has already passed are left out. */
    public long create(CallDraft d) {
        List<ScheduledSend> planned = new ArrayList<>();
        long id = db.inTransaction(s -> {
            long now = timing.now().toEpochMilli();
            CallMapper calls = s.getMapper(CallMapper.class);
            IdHolder key = new IdHolder();
            calls.insertCall(new Call(0, d.title(), d.opensAt().toEpochMilli(), d.deadlineAt().toEpochMilli(),
                    d.reminderOffsets().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    d.reminderTime().toString(), d.link(), CallState.OPEN, now, now), key);
            d.listIds().forEach(l -> calls.insertCallList(key.getId(), l));
            Call call = calls.findById(key.getId()).orElseThrow();
            for (int offset : d.reminderOffsets()) {
                addReminder(s, call, d.listIds(), d.templates(), d.grace(), offset, d.deadlineAt(), planned);
            }
            if (d.closingNotice()) {
                addNotice(s, call, d.listIds(), NoticeKind.CLOSING, null,
                        LIST_LANGUAGE.format("schedules.call.title.closing", "call", call.title()),
                        d.templates().closingSubject(),
                        d.templates().closingBody(), d.deadlineAt(), d.deadlineAt(), d.grace(), planned);
            }
            if (d.resultsAt() != null) {
                addNotice(s, call, d.listIds(), NoticeKind.RESULTS, null,
                        LIST_LANGUAGE.format("schedules.call.title.results", "call", call.title()),
                        d.templates().resultsSubject(),
                        d.templates().resultsBody(), d.resultsAt(), d.deadlineAt(), d.grace(), planned);
            }
            return key.getId();
        });
        planned.forEach(p -> sends.triggers().scheduled(p.id(), p.dueAt()));
        return id;
    }

    private void addReminder(SqlSession s, Call call, List<Long> listIds, CallTemplates t, Duration grace, int offset,
                             Instant deadline, List<ScheduledSend> planned) {
        Instant at = timing.reminderAt(deadline, offset, call.time());
        if (!at.isAfter(timing.now())) {
            return;
        }
        addNotice(s, call, listIds, NoticeKind.REMINDER, offset,
                LIST_LANGUAGE.format("schedules.call.title.reminder", "call", call.title(), "days", offset),
                t.reminderSubject(), t.reminderBody(), at, deadline, grace, planned);
    }

    private void addNotice(SqlSession s, Call call, List<Long> listIds, NoticeKind kind, Integer offset, String title,
                           String subject, String body, Instant at, Instant deadline, Duration grace,
                           List<ScheduledSend> planned) {
        NoticeDraft draft = NoticeDraft.oneOff(title, subject, body, listIds, at)
                .withEvent(null, deadline, call.link()).withGrace(grace);
        NoticeService.validate(draft);
        long now = timing.now().toEpochMilli();
        long noticeId = NoticeService.insert(s, draft, kind, call.id(), offset, NoticeState.ACTIVE, now);
        sends.planNext(s, s.getMapper(NoticeMapper.class).findById(noticeId).orElseThrow()).ifPresent(planned::add);
    }

    /**
     * Moves the deadline. Pending reminders and the closing notice move with it; reminders already sent stay as
     * they were and are not sent again; a reminder whose new time has passed is withdrawn; a reminder that the new
     * deadline brings back into the future (one that was left out at creation) is added.
     */
    public void moveDeadline(long callId, Instant newDeadline) {
        List<ScheduledSend> planned = new ArrayList<>();
        List<Long> withdrawn = new ArrayList<>();
        db.inTransaction(s -> {
            CallMapper calls = s.getMapper(CallMapper.class);
            NoticeMapper notices = s.getMapper(NoticeMapper.class);
            SendMapper sendMapper = s.getMapper(SendMapper.class);
            Call call = calls.findById(callId).orElseThrow();
            if (call.state() != CallState.OPEN) {
                throw Refusal.state("schedules.refusal.call.cancelled");
            }
            if (!newDeadline.isAfter(Instant.ofEpochMilli(call.opensAt()))) {
                throw Refusal.input("schedules.refusal.call.deadlineBeforeOpening");
            }
            long now = timing.now().toEpochMilli();
            calls.updateDeadline(callId, newDeadline.toEpochMilli(), now);
            List<Notice> existing = notices.findByCall(callId);
            for (Notice n : existing) {
                if (n.state() != NoticeState.ACTIVE && n.state() != NoticeState.PAUSED) {
                    continue; // sent (DONE) or cancelled: history, never re-sent
                }
                Instant at = switch (n.kind()) {
                    case REMINDER -> timing.reminderAt(newDeadline, n.offsetDays(), call.time());
                    case CLOSING -> newDeadline;
                    default -> Instant.ofEpochMilli(n.sendAt());
                };
                notices.updateTimes(n.id(), at.toEpochMilli(), newDeadline.toEpochMilli(), now);
                for (ScheduledSend send : sendMapper.findByNotice(n.id())) {
                    if (send.state() != SendState.SCHEDULED) {
                        continue;
                    }
                    if (!at.isAfter(timing.now())) {
                        sendMapper.cancel(send.id(), SendDetail.of("deadlinePassed"), now);
                        notices.updateState(n.id(), NoticeState.CANCELLED, now);
                        withdrawn.add(send.id());
                    } else {
                        sendMapper.move(send.id(), at.toEpochMilli(), at.toEpochMilli(), now);
                        planned.add(sendMapper.findById(send.id()).orElseThrow());
                    }
                }
            }
            Set<Integer> present = existing.stream().filter(n -> n.kind() == NoticeKind.REMINDER)
                    .map(Notice::offsetDays).collect(Collectors.toSet());
            Call moved = calls.findById(callId).orElseThrow();
            List<Long> listIds = calls.findListIds(callId);
            Notice template = existing.stream().filter(n -> n.kind() == NoticeKind.REMINDER).findFirst().orElse(null);
            CallTemplates t = template == null ? CallTemplates.defaults()
                    : new CallTemplates(template.subjectTemplate(), template.bodyTemplate(), "", "", "", "", "", "");
            Duration grace = template == null ? NoticeDraft.DEFAULT_GRACE : template.grace();
            for (int offset : call.offsets()) {
                if (!present.contains(offset)) {
                    addReminder(s, moved, listIds, t, grace, offset, newDeadline, planned);
                }
            }
            return null;
        });
        withdrawn.forEach(sends.triggers()::withdrawn);
        planned.forEach(p -> sends.triggers().scheduled(p.id(), p.dueAt()));
    }

    /**
     * Cancels the call: every pending notice is withdrawn. With {@code notify}, a cancellation notice goes to the
     * call's lists at once. Returns the id of that notice.
     */
    public Optional<Long> cancel(long callId, boolean notify) {
        List<Long> withdrawn = new ArrayList<>();
        List<ScheduledSend> planned = new ArrayList<>();
        Optional<Long> notice = db.inTransaction(s -> {
            CallMapper calls = s.getMapper(CallMapper.class);
            NoticeMapper notices = s.getMapper(NoticeMapper.class);
            Call call = calls.findById(callId).orElseThrow();
            if (call.state() == CallState.CANCELLED) {
                throw Refusal.state("schedules.refusal.call.alreadyCancelled");
            }
            long now = timing.now().toEpochMilli();
            calls.updateState(callId, CallState.CANCELLED, now);
            for (Notice n : notices.findByCall(callId)) {
                if (n.state() == NoticeState.ACTIVE || n.state() == NoticeState.PAUSED
                        || n.state() == NoticeState.DRAFT) {
                    notices.updateState(n.id(), NoticeState.CANCELLED, now);
                    withdrawn.addAll(NoticeService.cancelPending(s, n.id(), SendDetail.of("callCancelled"), now));
                }
            }
            if (!notify) {
                return Optional.<Long>empty();
            }
            CallTemplates t = CallTemplates.defaults();
            NoticeDraft draft = NoticeDraft.oneOff(LIST_LANGUAGE.format("schedules.call.title.cancel", "call", call.title()),
                    t.cancelSubject(),
                    t.cancelBody(), calls.findListIds(callId), timing.now())
                    .withEvent(null, Instant.ofEpochMilli(call.deadlineAt()), call.link());
            long id = NoticeService.insert(s, draft, NoticeKind.CANCELLATION, callId, null, NoticeState.ACTIVE, now);
            sends.planNext(s, notices.findById(id).orElseThrow()).ifPresent(planned::add);
            return Optional.of(id);
        });
        withdrawn.forEach(sends.triggers()::withdrawn);
        planned.forEach(p -> sends.triggers().scheduled(p.id(), p.dueAt()));
        return notice;
    }

    public Optional<Call> find(long callId) {
        return db.read(s -> s.getMapper(CallMapper.class).findById(callId));
    }

    public List<Call> all() {
        return db.read(s -> s.getMapper(CallMapper.class).findAll());
    }

    public List<Long> listIds(long callId) {
        return db.read(s -> s.getMapper(CallMapper.class).findListIds(callId));
    }

    /** The call's notices (reminders, closing, results, cancellation) with their sends. */
    public List<CallNotice> notices(long callId) {
        return db.read(s -> s.getMapper(NoticeMapper.class).findByCall(callId).stream()
                .map(n -> new CallNotice(n, s.getMapper(SendMapper.class).findByNotice(n.id()))).toList());
    }
}
