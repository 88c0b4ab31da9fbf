package jp.kitamoto.lists.web.store;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.SubscriptionState;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/** What a signed-in member's page shows: their own subscriptions (never anybody else's), with each list. */
public interface MemberPageMapper {
    record MySubscription(long id, long listId, String localPart, String displayName,
                          ArchiveVisibility archiveVisibility, SubscriptionState state, DeliveryMode deliveryMode,
                          Long pausedAt, Long resumeAt) {
    }

    /** Every subscription of this member that is not unsubscribed, by list name. */
    List<MySubscription> findByMember(@Param("memberId") long memberId);

    /** One subscription, only if it belongs to this member (ids in forms are checked against the session). */
    Optional<MySubscription> findOfMember(@Param("memberId") long memberId, @Param("id") long subscriptionId);

    /** This member's subscription to this list, if they are a member of it (active or suspended, paused or not). */
    long countMembership(@Param("memberId") long memberId, @Param("listId") long listId);
}
