package jp.kitamoto.lists.web.store;

import jp.kitamoto.lists.store.IdHolder;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

/** Staff accounts ({@code web_staff}) and the lists assigned to them ({@code web_staff_lists}). */
public interface StaffMapper {
    record StaffRow(long id, String username, String displayName, String passwordHash, String role, int disabled,
                    long createdAt, long updatedAt) {
    }

    long countStaff();

    void insertStaff(@Param("username") String username, @Param("displayName") String displayName,
                     @Param("passwordHash") String passwordHash, @Param("role") String role, @Param("now") long now,
                     @Param("key") IdHolder key);

    Optional<StaffRow> findByUsername(@Param("username") String username);

    Optional<StaffRow> findById(@Param("id") long id);

    List<StaffRow> findAll();

    void updatePassword(@Param("id") long id, @Param("passwordHash") String passwordHash, @Param("now") long now);

    void insertAssignment(@Param("staffId") long staffId, @Param("listId") long listId);

    List<Long> findAssignedListIds(@Param("staffId") long staffId);
}
