package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import org.apache.ibatis.annotations.Param;

import java.util.List;
import java.util.Optional;

public interface ListMapper {
    /** Inserts a list; {@code row.id} is ignored and the new id returned through {@link IdHolder}. */
    void insertList(@Param("l") MailingList list, @Param("key") IdHolder key);

    Optional<MailingList> findById(@Param("id") long id);

    Optional<MailingList> findByLocalPart(@Param("localPart") String localPart);

    List<MailingList> findAll();

    /**
     * Reserves and returns the next sequence number of a list; call inside the transaction that uses it. The list's
     * row stays locked until that transaction ends, so concurrent posts to one list (on any node) get consecutive
     * numbers without gaps.
     */
    long reserveSequence(@Param("id") long id);

    /**
     * Takes the row lock that {@link #reserveSequence} takes, without changing anything: a digest made after it
     * sees every post numbered before it (on PostgreSQL a post holding a number commits first), and every later post
     * gets a higher number. SQLite's write transactions are serial anyway.
     */
    void lockSequence(@Param("id") long id);

    /** The number the last post of a list got (0 before the first); under {@link #lockSequence}, final. */
    long selectLastSequence(@Param("id") long id);

    void insertOwner(@Param("listId") long listId, @Param("address") String address, @Param("role") String role);

    List<ListOwner> findOwners(@Param("listId") long listId);

    void updateSettings(@Param("l") MailingList list, @Param("now") long now);
}
