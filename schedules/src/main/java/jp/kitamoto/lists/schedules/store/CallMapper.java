package jp.kitamoto.lists.schedules.store;

import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.CallState;
import jp.kitamoto.lists.store.IdHolder;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/** {@code sched_calls} and their target lists. */
public interface CallMapper {
    void insertCall(@Param("c") Call call, @Param("key") IdHolder key);

    void insertCallList(@Param("callId") long callId, @Param("listId") long listId);

    Optional<Call> findById(@Param("id") long id);

    List<Long> findListIds(@Param("callId") long callId);

    List<Call> findAll();

    int updateDeadline(@Param("id") long id, @Param("deadlineAt") long deadlineAt, @Param("now") long now);

    int updateState(@Param("id") long id, @Param("state") CallState state, @Param("now") long now);
}
