package jp.kitamoto.lists.web.store;

import jp.kitamoto.lists.domain.SubscriptionState;
import org.apache.ibatis.annotations.Param;

import java.util.List;

/** The members of one list as staff see them: paged, searchable, exportable. */
public interface RosterMapper {
    record RosterRow(long subscriptionId, long memberId, String address, String displayName, SubscriptionState state,
                     int bounceScore, long updatedAt) {
    }

    /** {@code query} null or a LIKE pattern already escaped with '\'. */
    List<RosterRow> findPage(@Param("listId") long listId, @Param("query") String query,
                             @Param("state") SubscriptionState state, @Param("offset") int offset,
                             @Param("limit") int limit);

    long countMatching(@Param("listId") long listId, @Param("query") String query,
                       @Param("state") SubscriptionState state);

    java.util.Optional<RosterRow> findOne(@Param("listId") long listId, @Param("subscriptionId") long subscriptionId);

    /** Every row of a list in address order, for export: streamed in pages by {@code afterKey}. */
    List<RosterRow> findAfter(@Param("listId") long listId, @Param("afterKey") String afterKey,
                              @Param("limit") int limit);
}
