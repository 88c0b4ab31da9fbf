package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

import java.util.Optional;

/** Failed sign-ins ({@code web_login_failures}) for the login throttle; the same SQL on SQLite (3.24+) and PostgreSQL. */
public interface LoginFailureMapper {
    record Failures(int failures, long lastFailureAt) {
    }

    @Select("SELECT failures, last_failure_at FROM web_login_failures WHERE throttle_key = #{key}")
    Optional<Failures> find(@Param("key") String key);

    /**
     * One more failure, counted by the database in one statement, so that failures arriving at two nodes at once are
     * both counted; a count whose last failure is older than {@code forgetMillis} starts again at 1.
     */
    @Insert("INSERT INTO web_login_failures (throttle_key, failures, last_failure_at) VALUES (#{key}, 1, #{now})"
            + " ON CONFLICT (throttle_key) DO UPDATE SET"
            + " failures = CASE WHEN web_login_failures.last_failure_at < #{forgetBefore} THEN 1"
            + " ELSE web_login_failures.failures + 1 END,"
            + " last_failure_at = excluded.last_failure_at")
    void countFailure(@Param("key") String key, @Param("now") long now, @Param("forgetBefore") long forgetBefore);

    @Delete("DELETE FROM web_login_failures WHERE throttle_key = #{key}")
    int forget(@Param("key") String key);

    @Delete("DELETE FROM web_login_failures WHERE last_failure_at < #{before}")
    int forgetOlderThan(@Param("before") long before);
}
