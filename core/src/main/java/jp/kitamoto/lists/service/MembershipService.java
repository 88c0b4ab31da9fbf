package jp.kitamoto.lists.service;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.util.Optional;

/** Members and their subscriptions. */
public final class MembershipService {
    private final Database db;
    private final Clock clock;

    public MembershipService(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Thrown when an address cannot be a mailbox; the message is for the person who typed it. */
    public static final class InvalidAddressException extends IllegalArgumentException {
        public InvalidAddressException(String address) {
            super("not a valid e-mail address: " + address);
        }
    }

    /**
     * Subscribes an address directly (staff action, import, tests), creating the member if needed. An existing
     * subscription is set to {@code state}. Returns the subscription.
     */
    public Subscription subscribe(long listId, String address, String displayName, SubscriptionState state) {
        return db.inTransaction(s -> subscribe(s, listId, address, displayName, state));
    }

    /** The same, inside the caller's transaction (for bulk imports). */
    public Subscription subscribe(SqlSession s, long listId, String address, String displayName,
                                  SubscriptionState state) {
        String normalised = Addresses.normalise(address);
        if (!Addresses.isPlausible(normalised)) {
            throw new InvalidAddressException(address);
        }
        long now = clock.millis();
        Member member = findOrCreateMember(s, normalised, displayName == null ? "" : displayName, now);
        SubscriptionMapper subs = s.getMapper(SubscriptionMapper.class);
        Optional<Subscription> existing = subs.findByListAndMember(listId, member.id());
        if (existing.isPresent()) {
            if (existing.get().state() != state) {
                subs.updateState(existing.get().id(), state, now);
            }
            return subs.findByListAndMember(listId, member.id()).orElseThrow();
        }
        IdHolder key = new IdHolder();
        subs.insertSubscription(listId, member.id(), state, Tokens.newToken(), now, key);
        return subs.findByListAndMember(listId, member.id()).orElseThrow();
    }

    private static Member findOrCreateMember(SqlSession s, String address, String displayName, long now) {
        MemberMapper members = s.getMapper(MemberMapper.class);
        String key = Addresses.key(address);
        Optional<Member> found = members.findByKey(key);
        if (found.isPresent()) {
            return found.get();
        }
        IdHolder id = new IdHolder();
        members.insertMember(address, key, displayName, now, id);
        return members.findById(id.getId()).orElseThrow();
    }

    public Optional<Subscription> find(long listId, String address) {
        return db.read(s -> s.getMapper(SubscriptionMapper.class)
                .findByListAndAddressKey(listId, Addresses.key(Addresses.normalise(address))));
    }

    /** The same, inside the caller's transaction. */
    public Optional<Subscription> find(SqlSession s, long listId, String address) {
        return s.getMapper(SubscriptionMapper.class)
                .findByListAndAddressKey(listId, Addresses.key(Addresses.normalise(address)));
    }

    public Optional<Subscription> byToken(String token) {
        return db.read(s -> s.getMapper(SubscriptionMapper.class).findByToken(token));
    }

    public boolean setState(long subscriptionId, SubscriptionState state) {
        return db.inTransaction(s -> setState(s, subscriptionId, state));
    }

    /**
     * Sets a subscription's state inside the caller's transaction (a staff action recorded with its audit entry).
     * Returns false if there is no such subscription.
     */
    public boolean setState(SqlSession s, long subscriptionId, SubscriptionState state) {
        return s.getMapper(SubscriptionMapper.class).updateState(subscriptionId, state, clock.millis()) == 1;
    }

    /**
     * Unsubscribes the subscription behind a personal unsubscribe token (RFC 8058 link), inside the caller's
     * transaction. Idempotent: an address already unsubscribed stays so. Returns the subscription as it was before,
     * or empty if the token is unknown.
     */
    public Optional<Subscription> unsubscribeByToken(SqlSession s, String token) {
        SubscriptionMapper subs = s.getMapper(SubscriptionMapper.class);
        Optional<Subscription> sub = subs.findByToken(token);
        sub.filter(x -> x.state() != SubscriptionState.UNSUBSCRIBED)
                .ifPresent(x -> subs.updateState(x.id(), SubscriptionState.UNSUBSCRIBED, clock.millis()));
        return sub;
    }

    /** Changes a member's display name (the name in the staff roster and in greetings), in the caller's transaction. */
    public void rename(SqlSession s, long memberId, String displayName) {
        s.getMapper(MemberMapper.class).updateDisplayName(memberId, displayName == null ? "" : displayName.strip());
    }

    /** The member with this id, in the caller's transaction. */
    public Optional<Member> member(SqlSession s, long memberId) {
        return s.getMapper(MemberMapper.class).findById(memberId);
    }

    /** The member known by this address, whatever their subscriptions, in the caller's transaction. */
    public Optional<Member> memberByAddress(SqlSession s, String address) {
        return s.getMapper(MemberMapper.class).findByKey(Addresses.key(Addresses.normalise(address)));
    }

    /** Sets how a subscription's posts arrive (each post or digest), inside the caller's transaction. */
    public boolean setDeliveryMode(SqlSession s, long subscriptionId, DeliveryMode mode) {
        return s.getMapper(SubscriptionMapper.class).updateDeliveryMode(subscriptionId, mode, clock.millis()) == 1;
    }

    /**
     * Pauses delivery to a subscription (the member is away), inside the caller's transaction. {@code resumeAt}
     * (epoch millis) ends the pause by itself: the fan-out counts a pause whose end has passed as over, so nothing
     * has to run on that day; null pauses until {@link #resume}.
     */
    public boolean pause(SqlSession s, long subscriptionId, Long resumeAt) {
        return s.getMapper(SubscriptionMapper.class).updatePause(subscriptionId, clock.millis(), resumeAt) == 1;
    }

    /** Ends a pause, inside the caller's transaction. */
    public boolean resume(SqlSession s, long subscriptionId) {
        return s.getMapper(SubscriptionMapper.class).clearPause(subscriptionId, clock.millis()) == 1;
    }

    /** Whether a subscription still belongs to a member: active or suspended, not pending or unsubscribed. */
    public static boolean isMember(Subscription s) {
        return s.state() == SubscriptionState.ACTIVE || s.state() == SubscriptionState.SUSPENDED;
    }

    public long count(long listId, SubscriptionState state) {
        return db.read(s -> s.getMapper(SubscriptionMapper.class).countByListAndState(listId, state));
    }
}
