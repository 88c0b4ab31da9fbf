package jp.kitamoto.lists.schedules.service;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendDetail;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.notice.NoticeComposer;
import jp.kitamoto.lists.schedules.store.CallMapper;
import jp.kitamoto.lists.schedules.store.NoticeMapper;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.text.CatalogueText;
import jp.kitamoto.lists.text.Refusal;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes scheduled sends happen, each at most once. A due send is claimed (SCHEDULED → SENDING) in the same
 * transaction in which the Distributor creates its posts and one delivery row per recipient, so a crash leaves
 * either nothing (the send is still SCHEDULED and fires again) or every delivery row (the delivery workers resume
 * them); it can never create them twice. A send found later than its grace period is MISSED, never sent late,
 * and the lists' owners are told by mail ({@link StaffAlerts}). What staff read about sends is {@link SendReports}.
 *
 * <p>It stays one class (about 300 lines) because firing, missing, failing, sending again and planning the next
 * occurrence all work on the same row inside the caller's transaction; split, each part would need the others'
 * transaction rules. The owners' alert and the read side are already apart.
 */
public final class SendService {
    private static final Logger log = LoggerFactory.getLogger(SendService.class);

    /** What {@link #fire} did. */
    public enum Outcome {
        /** Claimed; posts and delivery rows created. */
        DISTRIBUTED,
        /** Past its grace period: marked MISSED and staff told. */
        MISSED,
        /** Distribution failed: marked FAILED and staff told. */
        FAILED,
        /** Not yet due by the injected clock (the trigger fired early): fire again later. */
        NOT_DUE,
        /** Its notice is paused or cancelled. */
        NOT_ACTIVE,
        /** Already claimed, missed or cancelled by someone else. */
        ALREADY_HANDLED
    }

    private final Database db;
    private final ScheduleService timing;
    private final Distributor distributor;
    private final NoticeComposer composer;
    private final StaffAlerts alerts;
    private volatile SendTriggers triggers = SendTriggers.NONE;

    public SendService(Database db, ScheduleService timing, Distributor distributor, NoticeComposer composer,
                       Settings settings) {
        this.db = db;
        this.timing = timing;
        this.distributor = distributor;
        this.composer = composer;
        this.alerts = new StaffAlerts(settings, composer, distributor, timing);
    }

    /** Called by the scheduler when it starts (and with null when it stops). */
    public void useTriggers(SendTriggers t) {
        this.triggers = t == null ? SendTriggers.NONE : t;
    }

    SendTriggers triggers() {
        return triggers;
    }

    private record Result(Outcome outcome, boolean mailCreated, Optional<ScheduledSend> next) {
    }

    /** Sends one occurrence if it is due, within grace, still SCHEDULED and its notice ACTIVE. */
    public Outcome fire(long sendId) {
        Result r;
        try {
            r = db.inTransaction(s -> fireIn(s, sendId));
        } catch (RuntimeException e) {
            log.error("scheduled send {} failed", sendId, e);
            r = db.inTransaction(s -> failIn(s, sendId, e));
        }
        if (r.mailCreated()) {
            distributor.wake();
        }
        r.next().ifPresent(n -> triggers.scheduled(n.id(), n.dueAt()));
        if (r.outcome() == Outcome.DISTRIBUTED || r.outcome() == Outcome.MISSED || r.outcome() == Outcome.FAILED) {
            log.info("scheduled send {}: {}", sendId, r.outcome());
        }
        return r.outcome();
    }

    private Result fireIn(SqlSession s, long sendId) {
        SendMapper sends = s.getMapper(SendMapper.class);
        Optional<ScheduledSend> found = sends.findById(sendId);
        if (found.isEmpty() || found.get().state() != SendState.SCHEDULED) {
            return new Result(Outcome.ALREADY_HANDLED, false, Optional.empty());
        }
        ScheduledSend send = found.get();
        Notice notice = s.getMapper(NoticeMapper.class).findById(send.noticeId()).orElseThrow();
        if (notice.state() != NoticeState.ACTIVE) {
            return new Result(Outcome.NOT_ACTIVE, false, Optional.empty());
        }
        Instant now = timing.now();
        Instant due = Instant.ofEpochMilli(send.dueAt());
        if (now.isBefore(due)) {
            return new Result(Outcome.NOT_DUE, false, Optional.empty());
        }
        if (timing.isPastGrace(due, notice.grace())) {
            String detail = SendDetail.missed(due, notice.graceMinutes());
            if (sends.markMissed(sendId, detail, now.toEpochMilli()) != 1) {
                return new Result(Outcome.ALREADY_HANDLED, false, Optional.empty());
            }
            alerts.missed(s, notice, send, detail);
            return new Result(Outcome.MISSED, true, planNextIfRecurring(s, notice));
        }
        if (sends.claim(sendId, now.toEpochMilli()) != 1) {
            return new Result(Outcome.ALREADY_HANDLED, false, Optional.empty());
        }
        String callTitle = callTitle(s, notice);
        long recipients = 0;
        for (long listId : s.getMapper(NoticeMapper.class).findListIds(notice.id())) {
            MailingList list = s.getMapper(ListMapper.class).findById(listId).orElseThrow();
            if (!list.isOpen()) {
                log.warn("notice {}: list {} is closed, not sent there", notice.id(), list.localPart());
                continue;
            }
            String from = composer.fromAddress(s.getMapper(ListMapper.class).findOwners(listId));
            byte[] message = composer.listMessage(list, from,
                    composer.render(notice, list, null, callTitle, due), "notice." + sendId + "." + listId);
            long postId = distributor.distributeToList(s, listId, message, PostOrigin.NOTICE);
            sends.insertSendPost(sendId, listId, postId);
            recipients += s.getMapper(DeliveryMapper.class).countByPost(postId).stream()
                    .mapToLong(DeliveryMapper.StateCount::count).sum();
        }
        sends.setRecipients(sendId, recipients);
        Optional<ScheduledSend> next = Optional.empty();
        if (notice.isRecurring()) {
            next = planNextIfRecurring(s, notice);
        } else {
            s.getMapper(NoticeMapper.class).updateStateFrom(notice.id(), NoticeState.ACTIVE, NoticeState.DONE,
                    now.toEpochMilli());
        }
        return new Result(Outcome.DISTRIBUTED, true, next);
    }

    private Result failIn(SqlSession s, long sendId, RuntimeException e) {
        SendMapper sends = s.getMapper(SendMapper.class);
        ScheduledSend send = sends.findById(sendId).orElseThrow();
        Notice notice = s.getMapper(NoticeMapper.class).findById(send.noticeId()).orElseThrow();
        String detail = SendDetail.failed(e);
        if (sends.markFailed(sendId, detail, timing.now().toEpochMilli()) != 1) {
            return new Result(Outcome.ALREADY_HANDLED, false, Optional.empty());
        }
        alerts.failed(s, notice, send, detail);
        return new Result(Outcome.FAILED, true, planNextIfRecurring(s, notice));
    }

    /**
     * Staff send a FAILED or MISSED occurrence now. Neither has reached anyone: a failure rolls back the transaction
     * that would have created the posts and delivery rows, and a missed send never made them, so sending it now
     * cannot duplicate a copy. The row goes back to SCHEDULED, due now (its grace period counts from now), and is
     * fired at once. Refused when the send is in another state, has delivery rows after all, its notice is not
     * ACTIVE (paused or cancelled: resume it first), or it is a reminder whose deadline has passed (its text would
     * count days that are gone).
     */
    public Outcome sendNow(long sendId) {
        db.inTransaction(s -> {
            SendMapper sends = s.getMapper(SendMapper.class);
            ScheduledSend send = sends.findById(sendId)
                    .orElseThrow(() -> Refusal.input("schedules.refusal.send.notFound"));
            if (send.state() != SendState.FAILED && send.state() != SendState.MISSED) {
                throw Refusal.state("schedules.refusal.send.notRetryable",
                        "state", CatalogueText.text("page.sched.sendState." + send.state().name()));
            }
            if (sends.countDeliveries(sendId) != 0) {
                throw Refusal.state("schedules.refusal.send.hasDeliveries");
            }
            Notice notice = s.getMapper(NoticeMapper.class).findById(send.noticeId()).orElseThrow();
            if (notice.state() != NoticeState.ACTIVE) {
                throw Refusal.state("schedules.refusal.send.noticeNotActive",
                        "state", CatalogueText.text("page.sched.noticeState." + notice.state().name()));
            }
            long now = timing.now().toEpochMilli();
            if (notice.kind() == NoticeKind.REMINDER && notice.deadlineAt() != null && notice.deadlineAt() < now) {
                throw Refusal.state("schedules.refusal.send.reminderPastDeadline");
            }
            String detail = SendDetail.of(send.state() == SendState.FAILED ? "retriedAfterFailure" : "sentNowAfterMiss");
            if (sends.sendAgain(sendId, detail, now) != 1) {
                throw Refusal.state("schedules.refusal.send.conflict");
            }
            return null;
        });
        return fire(sendId);
    }

    private static String callTitle(SqlSession s, Notice n) {
        return n.callId() == null ? null
                : s.getMapper(CallMapper.class).findById(n.callId()).map(Call::title).orElse(null);
    }

    /**
     * Creates the next SCHEDULED occurrence of a notice inside the caller's transaction: for a one-off notice its
     * time; for a recurring one the first occurrence after the last one (sent, missed or cancelled) and not before
     * now. Returns it, or empty when there is none (a recurring notice past its end becomes DONE).
     */
    Optional<ScheduledSend> planNext(SqlSession s, Notice n) {
        SendMapper sends = s.getMapper(SendMapper.class);
        long now = timing.now().toEpochMilli();
        long nominal;
        long due;
        if (!n.isRecurring()) {
            nominal = n.sendAt();
            due = n.sendAt();
        } else {
            Long last = sends.selectLastNominal(n.id());
            long after = last != null ? last : Math.max(now, n.startsAt() == null ? now : n.startsAt() - 1);
            Optional<ScheduleService.Occurrence> occ = timing.next(n.recurrence(), Instant.ofEpochMilli(after),
                    n.window(), n.holidayPolicy(), n.endsAt() == null ? null : Instant.ofEpochMilli(n.endsAt()));
            if (occ.isEmpty()) {
                s.getMapper(NoticeMapper.class).updateStateFrom(n.id(), NoticeState.ACTIVE, NoticeState.DONE, now);
                return Optional.empty();
            }
            nominal = occ.get().nominal().toEpochMilli();
            due = occ.get().due().toEpochMilli();
        }
        sends.upsertScheduled(n.id(), nominal, due, now);
        return sends.findByNoticeAndNominal(n.id(), nominal).filter(x -> x.state() == SendState.SCHEDULED);
    }

    private Optional<ScheduledSend> planNextIfRecurring(SqlSession s, Notice n) {
        return n.isRecurring() ? planNext(s, n) : Optional.empty();
    }

    /**
     * What the periodic sweep does: fires every due send (a safety net for a lost trigger or a send created by
     * another node), marks SENDING sends SENT once no delivery row is pending, and gives every active recurring
     * notice its next occurrence. Returns how many sends were fired.
     */
    public int sweep() {
        long now = timing.now().toEpochMilli();
        List<ScheduledSend> due = db.read(s -> s.getMapper(SendMapper.class).findDue(now));
        int fired = 0;
        for (ScheduledSend send : due) {
            Outcome o = fire(send.id());
            if (o == Outcome.DISTRIBUTED || o == Outcome.MISSED || o == Outcome.FAILED) {
                fired++;
            }
        }
        reconcile();
        ensureRecurringPlanned();
        return fired;
    }

    /** SENDING → SENT for sends whose every delivery row is done (sent or failed). */
    public void reconcile() {
        List<ScheduledSend> sending = db.read(s -> s.getMapper(SendMapper.class).findByState(SendState.SENDING.name()));
        for (ScheduledSend send : sending) {
            db.inTransaction(s -> {
                SendMapper sends = s.getMapper(SendMapper.class);
                if (sends.countPendingDeliveries(send.id()) == 0) {
                    sends.markSent(send.id(), timing.now().toEpochMilli());
                }
                return null;
            });
        }
    }

    private void ensureRecurringPlanned() {
        List<Notice> active = db.read(s -> s.getMapper(NoticeMapper.class)
                .findByKindAndState(NoticeKind.RECURRING.name(), NoticeState.ACTIVE));
        for (Notice n : active) {
            Optional<ScheduledSend> planned = db.inTransaction(s -> {
                boolean has = s.getMapper(SendMapper.class).findByNotice(n.id()).stream()
                        .anyMatch(x -> x.state() == SendState.SCHEDULED);
                return has ? Optional.<ScheduledSend>empty() : planNext(s, n);
            });
            planned.ifPresent(p -> triggers.scheduled(p.id(), p.dueAt()));
        }
    }

    /** Every SCHEDULED send, for rebuilding the triggers. */
    public List<ScheduledSend> scheduled() {
        return db.read(s -> s.getMapper(SendMapper.class).findScheduled());
    }

    public Optional<ScheduledSend> find(long sendId) {
        return db.read(s -> s.getMapper(SendMapper.class).findById(sendId));
    }
}
