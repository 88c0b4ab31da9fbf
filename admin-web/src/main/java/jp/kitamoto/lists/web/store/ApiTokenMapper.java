package jp.kitamoto.lists.web.store;

import jp.kitamoto.lists.store.IdHolder;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

import java.util.List;
import java.util.Optional;

/** API tokens ({@code web_api_tokens}) and their lists; annotated SQL, the same on SQLite and PostgreSQL. */
public interface ApiTokenMapper {
    record TokenRow(long id, String name, String tokenHash, String role, String createdBy, long createdAt,
                    Long revokedAt) {
    }

    @Insert("INSERT INTO web_api_tokens (name, token_hash, role, created_by, created_at)"
            + " VALUES (#{name}, #{hash}, #{role}, #{createdBy}, #{now})")
    @Options(useGeneratedKeys = true, keyProperty = "key.id", keyColumn = "id")
    void insertToken(@Param("name") String name, @Param("hash") String hash, @Param("role") String role,
                     @Param("createdBy") String createdBy, @Param("now") long now, @Param("key") IdHolder key);

    @Insert("INSERT INTO web_api_token_lists (token_id, list_id) VALUES (#{tokenId}, #{listId})")
    void insertList(@Param("tokenId") long tokenId, @Param("listId") long listId);

    @Select("SELECT id, name, token_hash, role, created_by, created_at, revoked_at FROM web_api_tokens"
            + " WHERE token_hash = #{hash}")
    Optional<TokenRow> findByHash(@Param("hash") String hash);

    @Select("SELECT id, name, token_hash, role, created_by, created_at, revoked_at FROM web_api_tokens"
            + " WHERE name = #{name}")
    Optional<TokenRow> findByName(@Param("name") String name);

    @Select("SELECT id, name, token_hash, role, created_by, created_at, revoked_at FROM web_api_tokens ORDER BY id")
    List<TokenRow> findAll();

    @Select("SELECT list_id FROM web_api_token_lists WHERE token_id = #{tokenId} ORDER BY list_id")
    List<Long> findListIds(@Param("tokenId") long tokenId);

    @Update("UPDATE web_api_tokens SET revoked_at = #{now} WHERE id = #{id} AND revoked_at IS NULL")
    int revoke(@Param("id") long id, @Param("now") long now);
}
