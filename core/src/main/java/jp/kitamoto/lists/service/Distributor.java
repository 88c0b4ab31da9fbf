package jp.kitamoto.lists.service;

import jp.kitamoto.lists.domain.PostOrigin;
import org.apache.ibatis.session.SqlSession;

/**
 * The one way mail leaves the server: every post, notice, test copy and system mail becomes a row in {@code posts}
 * and one row per recipient in {@code deliveries}, which the delivery workers send. Implemented in mail-server.
 *
 * <p>Every method works inside the caller's transaction, so that the caller can record its own state (a notice
 * marked as sent, a confirmation token) atomically with the mail it causes; after the commit, call {@link #wake()}
 * so that delivery starts at once instead of at the next poll.
 */
public interface Distributor {

    /**
     * Distributes a complete RFC 5322 message to every active subscriber of the list, decorated like a post
     * (sequence number, subject prefix, List-* headers, footer). Used for notices. Returns the post id.
     */
    long distributeToList(SqlSession session, long listId, byte[] message, PostOrigin origin);

    /**
     * Distributes a list's digest (a complete multipart/digest message, written by the schedules module) to every
     * subscription that chose the digest, is not paused and whose member reads {@code language} (Japanese, or
     * English: the digest's fixed texts are in it; one digest is made per language its members read). The list's
     * List-* fields are added as on a post; it gets no number, prefix or footer (the posts inside it already have
     * theirs), and is not archived. Returns the post id.
     */
    long distributeDigest(SqlSession session, long listId, byte[] message, java.util.Locale language);

    /**
     * Sends one copy to one recipient. With {@code decorate}, the copy looks as a list member would see it (a test
     * copy of a notice); without, it is sent as written (confirmation and rejection mail). Returns the post id.
     */
    long sendOne(SqlSession session, long listId, String recipient, byte[] message, boolean decorate);

    /** Tells the delivery workers that new rows were committed. */
    void wake();
}
