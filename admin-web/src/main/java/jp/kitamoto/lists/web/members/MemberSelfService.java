package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.MemberPageMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper.MySubscription;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What a signed-in member may do on their own page, and nothing more: every method takes the member id of the
 * session, and a subscription id from a form is only acted on when it belongs to that member (otherwise
 * {@link NotYoursException}), so a member can never see or change another member's subscription. Every change goes
 * through core's {@link MembershipService} and is recorded in the audit log in the same transaction.
 */
public final class MemberSelfService {
    /** The longest display name a member may set (the staff roster shows it in one line). */
    public static final int MAX_NAME_LENGTH = 100;

    private final Database db;
    private final Clock clock;
    private final MembershipService memberships;
    private final AuditLog audit;

    public MemberSelfService(Database db, Clock clock, MembershipService memberships, AuditLog audit) {
        this.db = db;
        this.clock = clock;
        this.memberships = memberships;
        this.audit = audit;
    }

    /** A subscription id that is not one of the signed-in member's (a tampered or stale form). */
    public static final class NotYoursException extends RuntimeException {
        public NotYoursException() {
            super("not the member's subscription", null, false, false);
        }
    }

    /** A pause's end that is not a day from tomorrow to a year ahead (Japan time). */
    public static final class BadDateException extends IllegalArgumentException {
        BadDateException() {
            super("resume date out of range");
        }
    }

    /** A display name longer than {@link #MAX_NAME_LENGTH}. */
    public static final class NameTooLongException extends IllegalArgumentException {
        NameTooLongException() {
            super("display name too long");
        }
    }

    public Member member(long memberId) {
        return db.read(s -> memberships.member(s, memberId)).orElseThrow(NotYoursException::new);
    }

    /** Every list the member is on (not unsubscribed), with its state. */
    public List<MySubscription> subscriptions(long memberId) {
        return db.read(s -> s.getMapper(MemberPageMapper.class).findByMember(memberId));
    }

    /** Whether the member belongs to the list (active or suspended; paused or not): members-only archives. */
    public boolean isMemberOf(long memberId, long listId) {
        return db.read(s -> s.getMapper(MemberPageMapper.class).countMembership(memberId, listId)) > 0;
    }

    public void rename(long memberId, String displayName, Actor actor) {
        String name = displayName == null ? "" : displayName.strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw new NameTooLongException();
        }
        db.inTransaction(s -> {
            Member before = memberships.member(s, memberId).orElseThrow(NotYoursException::new);
            memberships.rename(s, memberId, name);
            audit.record(s, actor, "member.rename", null, before.address(),
                    "表示名: 「" + before.displayName() + "」→「" + name + "」");
            return null;
        });
    }

    /** Leaves a list (the subscription is kept as unsubscribed, as every other way of leaving does). */
    public MySubscription leave(long memberId, long subscriptionId, Actor actor) {
        return change(memberId, subscriptionId, (s, sub) -> {
            memberships.setState(s, sub.id(), SubscriptionState.UNSUBSCRIBED);
            audit.record(s, actor, "member.leave", sub.listId(), "subscription " + sub.id(), "会員ページから退会");
        });
    }

    /**
     * Pauses delivery; {@code until} (a Japan-time date, tomorrow to a year ahead) is the day delivery starts again
     * by itself, at 0:00 Japan time; null pauses until the member resumes.
     */
    public MySubscription pause(long memberId, long subscriptionId, LocalDate until, Actor actor) {
        Long resumeAt = null;
        if (until != null) {
            if (until.isBefore(firstResumeDay()) || until.isAfter(lastResumeDay())) {
                throw new BadDateException();
            }
            resumeAt = until.atStartOfDay(JapanTime.ZONE).toInstant().toEpochMilli();
        }
        Long end = resumeAt;
        return change(memberId, subscriptionId, (s, sub) -> {
            memberships.pause(s, sub.id(), end);
            audit.record(s, actor, "member.pause", sub.listId(), "subscription " + sub.id(),
                    until == null ? "配信を一時停止（再開するまで）" : "配信を一時停止（" + until + " に再開）");
        });
    }

    public MySubscription resume(long memberId, long subscriptionId, Actor actor) {
        return change(memberId, subscriptionId, (s, sub) -> {
            memberships.resume(s, sub.id());
            audit.record(s, actor, "member.resume", sub.listId(), "subscription " + sub.id(), "配信を再開");
        });
    }

    public MySubscription setDeliveryMode(long memberId, long subscriptionId, DeliveryMode mode, Actor actor) {
        return change(memberId, subscriptionId, (s, sub) -> {
            memberships.setDeliveryMode(s, sub.id(), mode);
            audit.record(s, actor, "member.delivery-mode", sub.listId(), "subscription " + sub.id(),
                    "受け取り方: " + sub.deliveryMode() + " → " + mode);
        });
    }

    /** The first day a pause may end on: tomorrow, Japan time (a pause that ends today would pause nothing). */
    public LocalDate firstResumeDay() {
        return LocalDate.ofInstant(clock.instant(), JapanTime.ZONE).plusDays(1);
    }

    /** The last day a pause may end on: a year from today, so that a mistyped year is caught. */
    public LocalDate lastResumeDay() {
        return LocalDate.ofInstant(clock.instant(), JapanTime.ZONE).plusYears(1);
    }

    /** Records a sign-out (the session itself is ended by {@link MemberSessions#end}). */
    public void signedOut(long memberId, Actor actor) {
        audit.record(actor, "member.signout", null, "member " + memberId, "会員ページからログアウト");
    }

    /** Whether a subscription is paused at this moment (a pause whose end has passed is over, as at fan-out). */
    public boolean paused(MySubscription sub) {
        return sub.pausedAt() != null && (sub.resumeAt() == null || sub.resumeAt() > clock.millis());
    }

    private interface Change {
        void apply(SqlSession s, MySubscription sub);
    }

    private MySubscription change(long memberId, long subscriptionId, Change change) {
        return db.inTransaction(s -> {
            Optional<MySubscription> sub = s.getMapper(MemberPageMapper.class).findOfMember(memberId, subscriptionId);
            if (sub.isEmpty()) {
                throw new NotYoursException();
            }
            change.apply(s, sub.get());
            return sub.get();
        });
    }
}
