package jp.kitamoto.lists.service;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DigestMapper;
import jp.kitamoto.lists.store.ListMapper;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The digests a list offers, as staff set them (the list's settings page): a daily digest at a time of day, a
 * weekly one at a time on a weekday, both in Japan time. The schedules module reads the same rows and sends them;
 * a change here reaches its scheduler within a minute (its sweep).
 */
public final class DigestSettings {
    private final Database db;
    private final Clock clock;

    public DigestSettings(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A weekly digest's time: the weekday and the time of day, Japan time. */
    public record Weekly(DayOfWeek day, LocalTime time) {
        public Weekly {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(time, "time");
        }
    }

    public List<DigestSchedule> of(long listId) {
        return db.read(s -> s.getMapper(DigestMapper.class).findByList(listId));
    }

    /** How many active members of the list chose the digest (paused ones included). */
    public long membersWhoChoseDigest(long listId) {
        return db.read(s -> s.getMapper(DigestMapper.class).countChosen(listId));
    }

    /**
     * Sets the list's digests: empty turns that cadence off. Turning one on starts it after the list's last post
     * (the first digest does not carry the list's history); changing its time keeps where it starts, and the new
     * time counts from now (no second digest at once for a time moved to earlier today). Returns what changed, in
     * Japanese for the audit log, or an empty list.
     */
    public List<String> save(long listId, Optional<LocalTime> daily, Optional<Weekly> weekly) {
        return db.inTransaction(s -> {
            List<String> changes = new ArrayList<>();
            set(s, listId, DigestCadence.DAILY, daily.map(t -> new Weekly(DayOfWeek.MONDAY, t)), changes);
            set(s, listId, DigestCadence.WEEKLY, weekly, changes);
            return changes;
        });
    }

    private void set(SqlSession s, long listId, DigestCadence cadence, Optional<Weekly> wanted, List<String> changes) {
        DigestMapper digests = s.getMapper(DigestMapper.class);
        Optional<DigestSchedule> current = digests.find(listId, cadence);
        long now = clock.millis();
        String label = cadence == DigestCadence.DAILY ? "毎日のダイジェスト" : "毎週のダイジェスト";
        if (wanted.isEmpty()) {
            if (current.isPresent()) {
                digests.delete(listId, cadence);
                changes.add(label + ": " + describe(current.get()) + " → なし");
            }
            return;
        }
        String time = String.format("%02d:%02d", wanted.get().time().getHour(), wanted.get().time().getMinute());
        Integer weekday = cadence == DigestCadence.WEEKLY ? wanted.get().day().getValue() : null;
        if (current.isEmpty()) {
            // The same lock a post takes for its number: the digest starts exactly after the last numbered post.
            ListMapper lists = s.getMapper(ListMapper.class);
            lists.lockSequence(listId);
            DigestSchedule created = new DigestSchedule(listId, cadence, time, weekday, lists.selectLastSequence(listId),
                    now);
            digests.insert(created, now);
            changes.add(label + ": なし → " + describe(created));
        } else if (!current.get().sendTime().equals(time) || !Objects.equals(current.get().weekday(), weekday)) {
            DigestSchedule moved = new DigestSchedule(listId, cadence, time, weekday, current.get().sinceSequence(), now);
            digests.updateTime(moved, now);
            changes.add(label + ": " + describe(current.get()) + " → " + describe(moved));
        }
    }

    private static String describe(DigestSchedule d) {
        return (d.day() == null ? "" : d.day().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.JAPAN)
                + " ") + d.sendTime();
    }
}
