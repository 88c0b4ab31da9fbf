package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.RosterMapper;
import jp.kitamoto.lists.web.store.RosterMapper.RosterRow;
import jp.kitamoto.lists.web.support.Labels;

import java.util.List;
import java.util.Optional;

/**
 * The members of a list as staff handle them: the roster (search, pages, export) and the changes staff make, each
 * through {@link MembershipService} and recorded in the audit log in the same transaction.
 */
public final class MemberAdmin {
    private final Database db;
    private final MembershipService memberships;
    private final AuditLog audit;

    public MemberAdmin(Database db, MembershipService memberships, AuditLog audit) {
        this.db = db;
        this.memberships = memberships;
        this.audit = audit;
    }

    /** One page of a roster and how many rows match in all. */
    public record RosterPage(List<RosterRow> rows, long total) {
    }

    /** Thrown when a subscription id is not one of this list's: it is "not found", never changed. */
    public static final class NotInListException extends RuntimeException {
        public NotInListException(long listId, long subscriptionId) {
            super("subscription " + subscriptionId + " is not on list " + listId);
        }
    }

    /** {@code likePattern} null for every member, else a LIKE pattern already escaped with '\'. */
    public RosterPage page(long listId, String likePattern, SubscriptionState state, int offset, int limit) {
        return db.read(s -> {
            RosterMapper m = s.getMapper(RosterMapper.class);
            return new RosterPage(m.findPage(listId, likePattern, state, offset, limit),
                    m.countMatching(listId, likePattern, state));
        });
    }

    /** A subscription of this list, as the roster shows it. */
    public Optional<RosterRow> find(long listId, long subscriptionId) {
        return db.read(s -> s.getMapper(RosterMapper.class).findOne(listId, subscriptionId));
    }

    /** Every row of a list in address order, in pages after {@code afterKey} (an address key; "" to start). */
    public List<RosterRow> rowsAfter(long listId, String afterKey, int limit) {
        return db.read(s -> s.getMapper(RosterMapper.class).findAfter(listId, afterKey, limit));
    }

    /**
     * Subscribes an address at once (staff need no confirmation mail). Throws
     * {@link MembershipService.InvalidAddressException} for an address that cannot be a mailbox.
     */
    public Subscription add(long listId, String address, String displayName, Actor actor) {
        return db.inTransaction(s -> {
            Subscription sub = memberships.subscribe(s, listId, address, displayName, SubscriptionState.ACTIVE);
            audit.record(s, actor, "member.add", listId, address.strip(), "subscription " + sub.id());
            return sub;
        });
    }

    /** One address to add in bulk, with its display name ("" for none). */
    public record NewMember(String address, String displayName) {
    }

    /**
     * Subscribes many addresses at once (the REST API's bulk add), all or nothing: one transaction, so that ten
     * thousand addresses cost one commit (one fsync on SQLite) instead of ten thousand, and a bad address in the middle
     * leaves nothing half done. Each address is audited as {@link #add} audits it. Throws
     * {@link MembershipService.InvalidAddressException} for the first address that cannot be a mailbox.
     */
    public int addAll(long listId, List<NewMember> newMembers, Actor actor) {
        return db.inTransaction(s -> {
            for (NewMember m : newMembers) {
                Subscription sub = memberships.subscribe(s, listId, m.address(), m.displayName(),
                        SubscriptionState.ACTIVE);
                audit.record(s, actor, "member.add", listId, m.address().strip(), "subscription " + sub.id());
            }
            return newMembers.size();
        });
    }

    /**
     * Unsubscribes many addresses of this list at once (the web's 削除（解除）: the subscriptions are kept as
     * unsubscribed), in one transaction, each audited as a removal. Returns the addresses that had no subscription
     * on this list, or one already unsubscribed; those are left alone.
     */
    public List<String> removeAll(long listId, List<String> addresses, Actor actor) {
        return db.inTransaction(s -> {
            List<String> notFound = new java.util.ArrayList<>();
            for (String address : addresses) {
                Optional<Subscription> sub = memberships.find(s, listId, address)
                        .filter(x -> x.state() != SubscriptionState.UNSUBSCRIBED);
                if (sub.isEmpty()) {
                    notFound.add(address);
                    continue;
                }
                memberships.setState(s, sub.get().id(), SubscriptionState.UNSUBSCRIBED);
                audit.record(s, actor, "member.remove", listId, address.strip(),
                        Labels.state(sub.get().state()) + " → " + Labels.state(SubscriptionState.UNSUBSCRIBED));
            }
            return notFound;
        });
    }

    /**
     * Suspends, resumes or removes a subscription of this list. Returns the row as it was before; throws
     * {@link NotInListException} if the subscription is not on this list.
     */
    public RosterRow changeState(long listId, long subscriptionId, SubscriptionState target, Actor actor) {
        return db.inTransaction(s -> {
            RosterRow row = s.getMapper(RosterMapper.class).findOne(listId, subscriptionId)
                    .orElseThrow(() -> new NotInListException(listId, subscriptionId));
            memberships.setState(s, subscriptionId, target);
            audit.record(s, actor, "member." + verb(target), listId, row.address(),
                    Labels.state(row.state()) + " → " + Labels.state(target));
            return row;
        });
    }

    /** The audit log's names of the staff actions, as they have always been recorded. */
    private static String verb(SubscriptionState target) {
        return switch (target) {
            case SUSPENDED -> "suspend";
            case ACTIVE -> "resume";
            case UNSUBSCRIBED -> "remove";
            case PENDING -> "pending";
        };
    }
}
