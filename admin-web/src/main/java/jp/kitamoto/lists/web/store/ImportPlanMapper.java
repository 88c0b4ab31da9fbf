package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

import java.util.List;
import java.util.Optional;

/** CSV import plans ({@code web_import_plans}) and their rows; annotated SQL, the same on SQLite and PostgreSQL. */
public interface ImportPlanMapper {
    /** One row of a plan; action is ADD, CHANGE, UNCHANGED or REFUSE. */
    record RowRecord(long line, String address, String name, String action, String reason) {
    }

    record PlanRow(String id, long listId, long staffId, String fileName, String charset, String status, int done,
                   String failure, long createdAt) {
    }

    @Insert("INSERT INTO web_import_plans (id, list_id, staff_id, file_name, charset, status, done, to_apply, failure,"
            + " created_at, updated_at) VALUES (#{p.id}, #{p.listId}, #{p.staffId}, #{p.fileName}, #{p.charset},"
            + " 'DRY_RUN', 0, #{toApply}, '', #{p.createdAt}, #{p.createdAt})")
    void insertPlan(@Param("p") PlanRow plan, @Param("toApply") int toApply);

    @Insert("INSERT INTO web_import_rows (plan_id, line, address, name, action, reason)"
            + " VALUES (#{planId}, #{r.line}, #{r.address}, #{r.name}, #{r.action}, #{r.reason})")
    void insertRow(@Param("planId") String planId, @Param("r") RowRecord row);

    @Select("SELECT id, list_id, staff_id, file_name, charset, status, done, failure, created_at"
            + " FROM web_import_plans WHERE id = #{id}")
    Optional<PlanRow> findPlan(@Param("id") String id);

    @Select("SELECT line, address, name, action, reason FROM web_import_rows WHERE plan_id = #{id} ORDER BY line")
    List<RowRecord> findRows(@Param("id") String id);

    /** The commit's claim: 1 for the first click on any node, 0 for every later one. */
    @Update("UPDATE web_import_plans SET status = 'RUNNING', updated_at = #{now} WHERE id = #{id} AND status = 'DRY_RUN'")
    int claim(@Param("id") String id, @Param("now") long now);

    /** Counted in the transaction that applies the batch, so the figure is exactly what is written. */
    @Update("UPDATE web_import_plans SET done = done + #{rows}, updated_at = #{now} WHERE id = #{id}")
    int advance(@Param("id") String id, @Param("rows") int rows, @Param("now") long now);

    @Update("UPDATE web_import_plans SET status = #{status}, failure = #{failure}, updated_at = #{now} WHERE id = #{id}")
    int finish(@Param("id") String id, @Param("status") String status, @Param("failure") String failure,
               @Param("now") long now);

    @Delete("DELETE FROM web_import_rows WHERE plan_id IN (SELECT id FROM web_import_plans"
            + " WHERE created_at < #{before} AND status <> 'RUNNING')")
    int deleteRowsOfPlansBefore(@Param("before") long before);

    @Delete("DELETE FROM web_import_plans WHERE created_at < #{before} AND status <> 'RUNNING'")
    int deletePlansBefore(@Param("before") long before);
}
