package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.store.Database;
import org.apache.ibatis.annotations.Select;

import java.time.Clock;

/**
 * The delivery queue as a whole, for {@code posts status}: copies per state and the age of the oldest pending one.
 * Read-only; kept here rather than in core's {@code PostQueries} because the staff pages do not show it yet (when the
 * REST API or metrics need it, it belongs there).
 */
public final class QueueStatus {
    /** Annotated SQL, the same on SQLite and PostgreSQL. */
    public interface Mapper {
        @Select("SELECT COUNT(*) FROM deliveries WHERE state = #{state}")
        long countInState(String state);

        @Select("SELECT MIN(created_at) FROM deliveries WHERE state = 'PENDING'")
        Long oldestPendingCreatedAt();

        @Select("SELECT COUNT(*) FROM posts WHERE state = 'HELD'")
        long countHeldPosts();
    }

    public record Status(long pending, long sent, long failed, long heldPosts, Long oldestPendingAgeSeconds) {
    }

    private final Database db;
    private final Clock clock;

    QueueStatus(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Status now() {
        return db.read(s -> {
            Mapper m = s.getMapper(Mapper.class);
            Long oldest = m.oldestPendingCreatedAt();
            return new Status(m.countInState("PENDING"), m.countInState("SENT"), m.countInState("FAILED"),
                    m.countHeldPosts(), oldest == null ? null : Math.max(0, (clock.millis() - oldest) / 1000));
        });
    }
}
