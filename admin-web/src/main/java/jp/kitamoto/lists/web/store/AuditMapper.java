package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Param;

import java.util.List;

/** The append-only audit log: this mapper deliberately has no update and no delete. */
public interface AuditMapper {
    record AuditEntry(long id, long at, String actor, String clientIp, String action, Long listId, String target,
                      String detail) {
    }

    void insertEntry(@Param("e") AuditEntry entry);

    /** Newest first; {@code listId} null means every list. */
    List<AuditEntry> findPage(@Param("listIds") List<Long> listIds, @Param("all") boolean all,
                              @Param("offset") int offset, @Param("limit") int limit);

    long countEntries(@Param("listIds") List<Long> listIds, @Param("all") boolean all);
}
