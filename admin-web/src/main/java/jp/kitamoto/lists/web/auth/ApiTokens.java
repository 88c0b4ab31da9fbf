package jp.kitamoto.lists.web.auth;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.ApiTokenMapper;
import jp.kitamoto.lists.web.store.ApiTokenMapper.TokenRow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API tokens for the REST API: an admin creates one on {@code /staff/api-tokens} with a name, a role and lists, as a
 * staff account; the token is shown once and only its SHA-256 is stored.
 *
 * <p>Why SHA-256 and not bcrypt as for passwords: a token is 32 random bytes (256 bits), so guessing it from its hash
 * is hopeless however fast the hash is; bcrypt's slowness protects low-entropy secrets that people choose. A fast,
 * unsalted hash also lets every request find its token by an indexed lookup, where bcrypt (salted, cost 12, about a
 * quarter of a second) would mean trying every token's hash on every call.
 */
public final class ApiTokens {
    /** Every token starts with this, so that a leaked one is recognisable (secret scanners, logs). */
    public static final String PREFIX = "kml_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Clock clock;
    private final AuditLog audit;

    public ApiTokens(Database db, Clock clock, AuditLog audit) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        db.addMappers(ApiTokenMapper.class);
    }

    /** A token as the API and the staff page see it (never its secret). */
    public record ApiToken(long id, String name, StaffRole role, Set<Long> listIds, String createdBy, long createdAt,
                           Long revokedAt) {
        /** The audit log's actor name of this token. */
        public String actorName() {
            return "api:" + name;
        }

        public boolean revoked() {
            return revokedAt != null;
        }

        /** The same permission checks as a staff account with this role and lists. */
        public StaffUser asStaff() {
            return new StaffUser(id, actorName(), name, role, listIds);
        }
    }

    /** A new token and its secret, which exists nowhere else once the page that shows it is gone. */
    public record Created(ApiToken token, String secret) {
    }

    public static final class NameTakenException extends RuntimeException {
        public NameTakenException(String name) {
            super("API token name taken: " + name);
        }
    }

    public static final class BadNameException extends RuntimeException {
        public BadNameException(String message) {
            super(message);
        }
    }

    public Created create(String name, StaffRole role, List<Long> listIds, Actor actor) {
        String n = name == null ? "" : name.strip();
        if (!n.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new BadNameException("名前は半角英数字と . _ - で 40 文字までにしてください。");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Set<Long> lists = role == StaffRole.ADMIN ? Set.of() : new LinkedHashSet<>(listIds);
        long id = db.inTransaction(s -> {
            ApiTokenMapper m = s.getMapper(ApiTokenMapper.class);
            if (m.findByName(n).isPresent()) {
                throw new NameTakenException(n);
            }
            IdHolder key = new IdHolder();
            m.insertToken(n, hash(secret), role.name(), actor.name(), clock.millis(), key);
            for (long listId : lists) {
                m.insertList(key.getId(), listId);
            }
            audit.record(s, actor, "api-token.create", null, n, role.name() + " lists=" + lists);
            return key.getId();
        });
        return new Created(byId(id).orElseThrow(), secret);
    }

    /** Revokes a token at once (the next request with it gets 401). False if it was already revoked or unknown. */
    public boolean revoke(long id, Actor actor) {
        return db.inTransaction(s -> {
            ApiTokenMapper m = s.getMapper(ApiTokenMapper.class);
            Optional<TokenRow> row = m.findAll().stream().filter(r -> r.id() == id).findFirst();
            if (row.isEmpty() || m.revoke(id, clock.millis()) == 0) {
                return false;
            }
            audit.record(s, actor, "api-token.revoke", null, row.get().name(), "");
            return true;
        });
    }

    public List<ApiToken> all() {
        return db.read(s -> s.getMapper(ApiTokenMapper.class).findAll().stream()
                .map(r -> toToken(r, s.getMapper(ApiTokenMapper.class).findListIds(r.id()))).toList());
    }

    public Optional<ApiToken> byId(long id) {
        return all().stream().filter(t -> t.id() == id).findFirst();
    }

    /** The live (not revoked) token with this secret. */
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        return db.read(s -> {
            ApiTokenMapper m = s.getMapper(ApiTokenMapper.class);
            return m.findByHash(hash(secret)).filter(r -> r.revokedAt() == null)
                    .map(r -> toToken(r, m.findListIds(r.id())));
        });
    }

    private static ApiToken toToken(TokenRow r, List<Long> listIds) {
        return new ApiToken(r.id(), r.name(), StaffRole.valueOf(r.role()), Set.copyOf(listIds), r.createdBy(),
                r.createdAt(), r.revokedAt());
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
