package jp.kitamoto.lists.search;

import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.mime.SearchableText;
import jp.kitamoto.lists.store.ArchiveTextMapper;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.PostMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Fills the archive's search index: the decoded text of a post is stored once, in the transaction that archives it
 * (so search never sees a post the archive does not show, nor misses one it shows), and never at query time.
 * Posts archived before the index existed are indexed at start-up by {@link #backfill}, with the same code, which
 * is why this is not done in the migration: a Java migration would freeze a copy of the decoding in a script that
 * must never change, while the live indexer keeps improving.
 */
public final class ArchiveIndex {
    private static final Logger log = LoggerFactory.getLogger(ArchiveIndex.class);
    private static final int BACKFILL_BATCH = 200;
    static final String END = "\n\n";

    private ArchiveIndex() {
    }

    /** Indexes a post that is being archived, inside the caller's transaction. */
    public static void index(SqlSession session, long postId, byte[] raw) {
        SearchableText text = SearchableText.of(raw);
        // Two line breaks after each text: then even its last character begins a trigram, so that a 1- or
        // 2-character word at the very end is found through the trigram list too (ArchiveSearch); LIKE ignores them.
        session.getMapper(ArchiveTextMapper.class).insertText(postId, text.subject() + END, text.body() + END);
    }

    /**
     * Indexes every archived post that has no text yet, in small transactions (a long one would block the SMTP
     * intake's writes on SQLite). Cheap when there is nothing to do: one indexed anti-join.
     *
     * @return how many posts were indexed
     */
    public static int backfill(Database db) {
        int total = 0;
        while (true) {
            List<Long> ids = db.read(s -> s.getMapper(ArchiveTextMapper.class)
                    .findUnindexedArchivedIds(BACKFILL_BATCH));
            if (ids.isEmpty()) {
                break;
            }
            db.inTransaction(s -> {
                PostMapper posts = s.getMapper(PostMapper.class);
                for (long id : ids) {
                    posts.findById(id).map(Post::raw).ifPresent(raw -> index(s, id, raw));
                }
                return null;
            });
            total += ids.size();
        }
        if (total > 0) {
            log.info("archive search: indexed {} archived posts that had no text yet", total);
        }
        return total;
    }
}
