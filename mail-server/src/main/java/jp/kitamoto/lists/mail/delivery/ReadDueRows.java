package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;

import java.util.List;

/** One node (SQLite): due rows are read, not claimed; the dispatcher's in-flight set keeps them from going twice. */
final class ReadDueRows implements DueRows {
    private final Database db;

    ReadDueRows(Database db) {
        this.db = db;
    }

    @Override
    public List<DueDelivery> take(long now, long afterId, int limit) {
        return db.read(s -> s.getMapper(DeliveryMapper.class).findDue(now, afterId, limit));
    }

    @Override
    public void start() {
    }

    @Override
    public void close() {
    }
}
