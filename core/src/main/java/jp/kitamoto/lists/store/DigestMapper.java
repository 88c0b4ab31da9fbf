package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/** The digests lists offer ({@code list_digests}, core V008) and who receives them. */
public interface DigestMapper {
    List<DigestSchedule> findByList(@Param("listId") long listId);

    Optional<DigestSchedule> find(@Param("listId") long listId, @Param("cadence") DigestCadence cadence);

    /** Every digest of every open list (the scheduler's plan). */
    List<DigestSchedule> findAllOfOpenLists();

    void insert(@Param("d") DigestSchedule digest, @Param("now") long now);

    /** A new time or weekday; the first post it covers stays. */
    int updateTime(@Param("d") DigestSchedule digest, @Param("now") long now);

    int delete(@Param("listId") long listId, @Param("cadence") DigestCadence cadence);

    /** Subscriptions that would get a digest now: active, chose the digest, not paused. */
    long countRecipients(@Param("listId") long listId, @Param("now") long now);

    /**
     * The languages ({@code ja}, {@code en}) read by the subscriptions that would get a digest now; each gets its
     * own digest, whose fixed texts are in it ({@link DeliveryMapper#expandDigest}).
     */
    List<String> findRecipientLanguages(@Param("listId") long listId, @Param("now") long now);

    /** Subscriptions that chose the digest, whatever else (for the staff page). */
    long countChosen(@Param("listId") long listId);
}
