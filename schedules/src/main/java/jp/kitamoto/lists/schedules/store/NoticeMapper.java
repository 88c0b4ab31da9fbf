package jp.kitamoto.lists.schedules.store;

import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.store.IdHolder;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/** {@code sched_notices} and their target lists. */
public interface NoticeMapper {
    /** Inserts a notice; {@code n.id} is ignored and the new id returned through {@code key}. */
    void insertNotice(@Param("n") Notice notice, @Param("key") IdHolder key);

    void insertNoticeList(@Param("noticeId") long noticeId, @Param("listId") long listId);

    void deleteNoticeLists(@Param("noticeId") long noticeId);

    Optional<Notice> findById(@Param("id") long id);

    List<Long> findListIds(@Param("noticeId") long noticeId);

    List<Notice> findByCall(@Param("callId") long callId);

    List<Notice> findByKindAndState(@Param("kind") String kind, @Param("state") NoticeState state);

    /** Newest first. */
    List<Notice> findRecent(@Param("limit") int limit);

    /** Staff edits: templates, variables and schedule. */
    int updateContent(@Param("n") Notice notice, @Param("now") long now);

    /** A call's deadline moved: the reminder's own time and its {締切} variable. */
    int updateTimes(@Param("id") long id, @Param("sendAt") Long sendAt, @Param("deadlineAt") Long deadlineAt,
                    @Param("now") long now);

    /** Changes the state only if it is {@code from}; returns 1 if it changed. */
    int updateStateFrom(@Param("id") long id, @Param("from") NoticeState from, @Param("to") NoticeState to,
                        @Param("now") long now);

    int updateState(@Param("id") long id, @Param("state") NoticeState state, @Param("now") long now);
}
