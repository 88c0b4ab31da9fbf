package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Param;

import java.util.Optional;

/** Members' sign-in links ({@code web_member_links}) and browser sessions ({@code web_member_sessions}), V104. */
public interface MemberSignInMapper {
    /** One request for a link; {@code tokenHash} and {@code memberId} are null when the address is no member. */
    record Link(long id, String addressHash, String tokenHash, Long memberId, String clientIp, long createdAt,
                long expiresAt, Long usedAt) {
    }

    void insertLink(@Param("l") Link link);

    Optional<Link> findLinkByTokenHash(@Param("tokenHash") String tokenHash);

    /** Marks a link used; 0 if it already was (a double click, a replay), so a link signs in once. */
    int markLinkUsed(@Param("id") long id, @Param("now") long now);

    long countLinksByAddress(@Param("addressHash") String addressHash, @Param("since") long since);

    long countLinksByClient(@Param("clientIp") String clientIp, @Param("since") long since);

    int deleteLinksBefore(@Param("before") long before);

    void insertSession(@Param("sessionHash") String sessionHash, @Param("memberId") long memberId,
                       @Param("now") long now, @Param("expiresAt") long expiresAt);

    /** The member of a session that has not expired. */
    Optional<Long> findSessionMember(@Param("sessionHash") String sessionHash, @Param("now") long now);

    int deleteSession(@Param("sessionHash") String sessionHash);

    int deleteSessionsExpiredBefore(@Param("now") long now);
}
