package jp.kitamoto.lists.store;

import org.apache.ibatis.annotations.Param;

import java.util.List;

/**
 * The archive's search index ({@code archive_texts}, migration V009, written per database): the searchable text of
 * each archived post, and the search over it. SQLite answers through FTS5 with the trigram tokenizer, PostgreSQL
 * through pg_trgm GIN indexes; queries shorter than a trigram are answered by LIKE on both.
 */
public interface ArchiveTextMapper {
    /** A post whose text matched, with the text to cut the snippet from. */
    record Hit(long postId, long sequence, long receivedAt, String subject, String body) {
    }

    /** Stores the text of post {@code postId} (its list and receive time are read from the post row). */
    void insertText(@Param("postId") long postId, @Param("subject") String subject, @Param("body") String body);

    /** Archived posts that have no text yet (older than the index, or archived by an older version), oldest first. */
    List<Long> findUnindexedArchivedIds(@Param("limit") int limit);

    /** SQLite: up to {@code limit} distinct trigrams of the index in [from, to) (binary order). */
    List<String> findTrigramsBetween(@Param("from") String from, @Param("to") String to, @Param("limit") int limit);

    /**
     * The archived posts of a list whose subject or body contains every term, newest first.
     *
     * @param match SQLite only: an FTS5 MATCH expression that every hit satisfies, or null
     * @param likes LIKE patterns ({@code \} escapes) that must each match the subject or the body: on SQLite the
     *              shorter terms (checked exactly after the MATCH narrowed), on PostgreSQL every term (its trigram
     *              indexes answer LIKE directly) that has no letter case
     * @param ilikes the same for terms with letter case: ILIKE on PostgreSQL (SQLite's LIKE ignores ASCII case)
     */
    List<Hit> search(@Param("listId") long listId, @Param("match") String match, @Param("likes") List<String> likes,
                     @Param("ilikes") List<String> ilikes, @Param("limit") int limit, @Param("offset") int offset);
}
