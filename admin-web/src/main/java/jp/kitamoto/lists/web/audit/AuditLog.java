package jp.kitamoto.lists.web.audit;

import jp.kitamoto.lists.service.AuditTrail;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.AuditMapper.AuditEntry;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.util.Collection;
import java.util.List;

/** Who changed what, when and from where. Append-only: nothing here updates or deletes an entry. */
public final class AuditLog implements AuditTrail {
    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records an entry in its own transaction. */
    public void record(String actor, String clientIp, String action, Long listId, String target, String detail) {
        db.inTransaction(s -> {
            record(s, actor, clientIp, action, listId, target, detail);
            return null;
        });
    }

    /** Records an entry inside the caller's transaction, so the entry and the change commit together. */
    @Override
    public void record(SqlSession s, String actor, String clientIp, String action, Long listId, String target,
                       String detail) {
        s.getMapper(AuditMapper.class).insertEntry(new AuditEntry(0, clock.millis(), actor, clientIp, action, listId,
                target == null ? "" : target, detail == null ? "" : detail));
    }

    /** Records an entry for this actor inside the caller's transaction. */
    public void record(SqlSession s, Actor actor, String action, Long listId, String target, String detail) {
        record(s, actor.name(), actor.clientIp(), action, listId, target, detail);
    }

    /** Records an entry for this actor in its own transaction. */
    public void record(Actor actor, String action, Long listId, String target, String detail) {
        record(actor.name(), actor.clientIp(), action, listId, target, detail);
    }

    /** A page of entries, newest first; {@code listIds} null means every list (admins). */
    public List<AuditEntry> page(Collection<Long> listIds, int offset, int limit) {
        boolean all = listIds == null;
        List<Long> ids = all ? List.of() : List.copyOf(listIds);
        if (!all && ids.isEmpty()) {
            return List.of();
        }
        return db.read(s -> s.getMapper(AuditMapper.class).findPage(ids, all, offset, limit));
    }

    public long count(Collection<Long> listIds) {
        boolean all = listIds == null;
        List<Long> ids = all ? List.of() : List.copyOf(listIds);
        if (!all && ids.isEmpty()) {
            return 0;
        }
        return db.read(s -> s.getMapper(AuditMapper.class).countEntries(ids, all));
    }
}
