package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

public interface PostMapper {
    /** Marks that the owners were told of this post's failed copies; 0 when they already were (tell them once). */
    int markFailuresReported(@Param("id") long id, @Param("now") long now);

    void insertPost(@Param("p") Post post, @Param("key") IdHolder key);

    Optional<Post> findById(@Param("id") long id);

    /** Posts of a list in one state, newest first, without their message bytes. */
    List<Post> findSummariesByListAndState(@Param("listId") long listId, @Param("state") PostState state,
                                           @Param("limit") int limit);

    /** What the delivery workers need of a post: the shared decorated copy and the list it goes out for. */
    record PostForDelivery(byte[] prepared, String listLocalPart, PostOrigin origin) {
    }

    Optional<PostForDelivery> selectForDelivery(@Param("id") long id);

    /** Records what the liberal reading of a post forgave (one defect per line); see MimeEntity#defects. */
    void updateDefects(@Param("id") long id, @Param("defects") String defects);

    /** The defects recorded for a post, if any. */
    Optional<String> selectDefects(@Param("id") long id);

    int updateDecision(@Param("id") long id, @Param("state") PostState state, @Param("sequence") Long sequence,
                       @Param("prepared") byte[] prepared, @Param("reasons") String reasons, @Param("now") long now);
}
