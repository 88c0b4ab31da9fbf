package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.Member;
import org.apache.ibatis.annotations.Param;

import java.util.Optional;

public interface MemberMapper {
    void insertMember(@Param("address") String address, @Param("addressKey") String addressKey,
                      @Param("displayName") String displayName, @Param("now") long now, @Param("key") IdHolder key);

    Optional<Member> findByKey(@Param("addressKey") String addressKey);

    Optional<Member> findById(@Param("id") long id);

    /** The language a member reads ({@code ja}, {@code en}), by address key; empty for an unknown address. */
    Optional<String> findLanguageByKey(@Param("addressKey") String addressKey);

    void updateLanguage(@Param("id") long id, @Param("language") String language);

    void updateDisplayName(@Param("id") long id, @Param("displayName") String displayName);
}
