package jp.kitamoto.lists.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.web.store.StaffMapper;
import jp.kitamoto.lists.web.store.StaffMapper.StaffRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Staff accounts: creation, password checks (bcrypt) and the first-start bootstrap. */
public final class StaffAccounts {
    private static final Logger log = LoggerFactory.getLogger(StaffAccounts.class);
    /** Environment variable (or system property) with the first admin password; else a random one is logged once. */
    public static final String ENV_INITIAL_PASSWORD = "KITAMOTO_ADMIN_INITIAL_PASSWORD";
    private static final int COST = 12;
    /** A hash to compare against when the user does not exist, so that timing does not tell which names exist. */
    private static final String DUMMY_HASH = BCrypt.withDefaults().hashToString(COST, "dummy-password".toCharArray());

    private final Database db;
    private final Clock clock;

    public StaffAccounts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Thrown for a password bcrypt cannot take (over 72 bytes) or one too short; the message is for the user. */
    public static final class BadPasswordException extends IllegalArgumentException {
        private final String key;

        /** {@code key}: the catalogue text saying what is wrong; the message is its Japanese (the command line's). */
        public BadPasswordException(String key) {
            super(jp.kitamoto.lists.text.Texts.japanese().get(key));
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Thrown when a new account's user name is already an account's. */
    public static final class UsernameTakenException extends IllegalArgumentException {
        public UsernameTakenException(String username) {
            super("staff user name already in use: " + username);
        }
    }

    /**
     * Creates the {@code admin} account if there is no staff account at all. Returns the password it set, if it
     * generated one (the caller logs it once), or empty.
     */
    public Optional<String> bootstrap(Optional<String> configuredPassword) {
        if (db.read(s -> s.getMapper(StaffMapper.class).countStaff()) > 0) {
            return Optional.empty();
        }
        String password = configuredPassword.filter(p -> !p.isBlank()).orElseGet(StaffAccounts::randomPassword);
        create("admin", "管理者", StaffRole.ADMIN, password, List.of());
        if (configuredPassword.filter(p -> !p.isBlank()).isPresent()) {
            log.warn("created the first staff account 'admin' with the password from {}", ENV_INITIAL_PASSWORD);
            return Optional.empty();
        }
        return Optional.of(password);
    }

    /**
     * Creates an account. Throws {@link UsernameTakenException} for a name in use, {@link BadPasswordException} for a
     * user name or password that cannot be used (its message is for the user).
     */
    public long create(String username, String displayName, StaffRole role, String password, Collection<Long> listIds) {
        if (db.read(s -> s.getMapper(StaffMapper.class).findByUsername(username)).isPresent()) {
            throw new UsernameTakenException(username);
        }
        if (!username.matches("[A-Za-z0-9._-]{2,64}")) {
            throw new BadPasswordException("page.staff.accounts.badUsername");
        }
        String hash = hash(password);
        long now = clock.millis();
        return db.inTransaction(s -> {
            StaffMapper m = s.getMapper(StaffMapper.class);
            IdHolder key = new IdHolder();
            m.insertStaff(username, displayName == null ? "" : displayName, hash, role.name(), now, key);
            for (Long listId : new LinkedHashSet<>(listIds)) {
                m.insertAssignment(key.getId(), listId);
            }
            return key.getId();
        });
    }

    /** Checks a password; always spends one bcrypt verification, whether the user exists or not. */
    public Optional<StaffUser> authenticate(String username, String password) {
        Optional<StaffRow> row = db.read(s -> s.getMapper(StaffMapper.class).findByUsername(username));
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if (pw.length > 72) {
            return Optional.empty();
        }
        String hash = row.filter(r -> r.disabled() == 0).map(StaffRow::passwordHash).orElse(DUMMY_HASH);
        boolean ok = BCrypt.verifyer().verify(pw, hash.getBytes(StandardCharsets.UTF_8)).verified;
        if (!ok || row.isEmpty() || row.get().disabled() != 0) {
            return Optional.empty();
        }
        return byId(row.get().id());
    }

    public Optional<StaffUser> byId(long id) {
        return db.read(s -> {
            StaffMapper m = s.getMapper(StaffMapper.class);
            return m.findById(id).filter(r -> r.disabled() == 0).map(r -> new StaffUser(r.id(), r.username(),
                    r.displayName(), StaffRole.valueOf(r.role()), java.util.Set.copyOf(m.findAssignedListIds(r.id()))));
        });
    }

    public List<StaffUser> all() {
        return db.read(s -> {
            StaffMapper m = s.getMapper(StaffMapper.class);
            return m.findAll().stream().map(r -> new StaffUser(r.id(), r.username(), r.displayName(),
                    StaffRole.valueOf(r.role()), java.util.Set.copyOf(m.findAssignedListIds(r.id())))).toList();
        });
    }

    public void changePassword(long staffId, String password) {
        String hash = hash(password);
        db.inTransaction(s -> {
            s.getMapper(StaffMapper.class).updatePassword(staffId, hash, clock.millis());
            return null;
        });
    }

    private static String hash(String password) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if (password.length() < 10) {
            throw new BadPasswordException("page.staff.password.tooShort");
        }
        // bcrypt uses only 72 bytes; at.favre refuses longer input instead of silently truncating it.
        if (pw.length > 72) {
            throw new BadPasswordException("page.staff.password.tooLong");
        }
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
