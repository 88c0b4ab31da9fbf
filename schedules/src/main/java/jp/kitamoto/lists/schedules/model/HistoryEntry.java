package jp.kitamoto.lists.schedules.model;

import java.util.List;

/** One history line (a send with its totals) and its posts, one per target list, each with its delivery counts. */
public record HistoryEntry(SendHistory send, List<PostCounts> posts) {
    public HistoryEntry {
        posts = List.copyOf(posts);
    }

    /** The delivery rows of one post of a send, by state. */
    public record PostCounts(long postId, long sent, long pending, long failed) {
    }
}
