package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Param;

import java.util.Optional;

/** Double opt-in requests ({@code web_confirmations}). */
public interface ConfirmationMapper {
    record Confirmation(String token, long listId, String address, String displayName, long createdAt, long expiresAt,
                        Long usedAt) {
    }

    void insertConfirmation(@Param("c") Confirmation c);

    Optional<Confirmation> findByToken(@Param("token") String token);

    /** Marks a request used; returns 0 if it was already used (a double click), so it is applied once. */
    int markUsed(@Param("token") String token, @Param("now") long now);

    /** Requests for this address on this list since {@code since} (to avoid mail-bombing an address). */
    long countRecent(@Param("listId") long listId, @Param("address") String address, @Param("since") long since);

    int deleteExpired(@Param("before") long before);
}
