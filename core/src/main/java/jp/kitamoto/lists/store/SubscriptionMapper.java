package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import org.apache.ibatis.annotations.Param;

import java.util.Optional;

public interface SubscriptionMapper {
    void insertSubscription(@Param("listId") long listId, @Param("memberId") long memberId,
                            @Param("state") SubscriptionState state, @Param("token") String token,
                            @Param("now") long now, @Param("key") IdHolder key);

    Optional<Subscription> findByListAndMember(@Param("listId") long listId, @Param("memberId") long memberId);

    /** The subscription of the member with this address key on this list, whatever its state. */
    Optional<Subscription> findByListAndAddressKey(@Param("listId") long listId, @Param("addressKey") String addressKey);

    Optional<Subscription> findByToken(@Param("token") String token);

    int updateState(@Param("id") long id, @Param("state") SubscriptionState state, @Param("now") long now);

    long countByListAndState(@Param("listId") long listId, @Param("state") SubscriptionState state);

    /** Sets the bounce score and the time of the bounce just counted. */
    int recordBounce(@Param("id") long id, @Param("score") int score, @Param("now") long now);

    /** The member's own choice of how posts arrive (V006); returns 0 if there is no such subscription. */
    int updateDeliveryMode(@Param("id") long id, @Param("mode") jp.kitamoto.lists.domain.DeliveryMode mode,
                           @Param("now") long now);

    /** Pauses delivery from {@code now}; {@code resumeAt} null pauses until resumed by hand. */
    int updatePause(@Param("id") long id, @Param("now") long now, @Param("resumeAt") Long resumeAt);

    /** Ends a pause. */
    int clearPause(@Param("id") long id, @Param("now") long now);

    /** Epoch millis of the last counted bounce, or null. */
    Long findLastBounceAt(@Param("id") long id);
}
