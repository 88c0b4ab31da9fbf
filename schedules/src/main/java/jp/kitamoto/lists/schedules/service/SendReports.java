package jp.kitamoto.lists.schedules.service;

import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.schedules.model.HistoryEntry;
import jp.kitamoto.lists.schedules.model.HistoryEntry.PostCounts;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendHistory;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What staff read about sends, apart from the notices themselves: sends in one state (the missed and failed ones
 * shown first), the sends of a period (the calendar) and the history with the delivery counts of each post.
 * Read-only; every change goes through {@link SendService}, {@link NoticeService} or {@link CallService}.
 */
public final class SendReports {
    private final Database db;

    public SendReports(Database db) {
        this.db = db;
    }

    /** Every send in this state, oldest first. */
    public List<ScheduledSend> inState(SendState state) {
        return db.read(s -> s.getMapper(SendMapper.class).findByState(state.name()));
    }

    /** Sends due in {@code [from, to)}, whatever their state (the calendar leaves out cancelled ones itself). */
    public List<ScheduledSend> dueBetween(Instant from, Instant to) {
        return db.read(s -> s.getMapper(SendMapper.class).findBetween(from.toEpochMilli(), to.toEpochMilli()));
    }

    /**
     * The latest sends ({@code noticeId} null: of every notice) with, for each, its posts and their delivery counts.
     * {@code showNotice} says which notices the reader may see; the others are left out before anything is counted.
     */
    public List<HistoryEntry> history(Long noticeId, int limit, LongPredicate showNotice) {
        List<SendHistory> sends = db.read(s -> s.getMapper(SendMapper.class).findHistory(noticeId, limit)).stream()
                .filter(h -> showNotice.test(h.noticeId())).toList();
        return db.read(s -> {
            SendMapper sendMapper = s.getMapper(SendMapper.class);
            DeliveryMapper deliveries = s.getMapper(DeliveryMapper.class);
            List<HistoryEntry> out = new ArrayList<>();
            for (SendHistory h : sends) {
                List<PostCounts> posts = new ArrayList<>();
                for (long postId : sendMapper.findPostIds(h.sendId())) {
                    Map<DeliveryState, Long> c = new EnumMap<>(DeliveryState.class);
                    deliveries.countByPost(postId).forEach(x -> c.merge(x.state(), x.count(), Long::sum));
                    posts.add(new PostCounts(postId, c.getOrDefault(DeliveryState.SENT, 0L),
                            c.getOrDefault(DeliveryState.PENDING, 0L), c.getOrDefault(DeliveryState.FAILED, 0L)));
                }
                out.add(new HistoryEntry(h, posts));
            }
            return out;
        });
    }
}
