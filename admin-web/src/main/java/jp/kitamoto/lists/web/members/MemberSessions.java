package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.store.MemberSignInMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Members signed in on a browser, apart from the staff session: a random token in the member's cookie, its SHA-256
 * in {@code web_member_sessions}. In the database rather than in the web server's memory so that a restart or a
 * second node keeps a member signed in, and so that signing out ends the session everywhere at once.
 */
public final class MemberSessions {
    /**
     * How long a sign-in lasts: a visit to the page, with room to come back the same day. Longer would leave a
     * member signed in on a shared computer (a library, a community centre) for days; shorter costs another mail.
     */
    public static final Duration LIFETIME = Duration.ofHours(12);

    private final Database db;
    private final Clock clock;

    public MemberSessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Starts a session for a member; returns the token for the cookie (never stored). */
    public String start(long memberId) {
        String token = Tokens.newToken();
        long now = clock.millis();
        db.inTransaction(s -> {
            MemberSignInMapper mapper = s.getMapper(MemberSignInMapper.class);
            mapper.deleteSessionsExpiredBefore(now);
            mapper.insertSession(MemberSignIn.sha256(token), memberId, now, now + LIFETIME.toMillis());
            return null;
        });
        return token;
    }

    /** The member of a live session. */
    public Optional<Long> memberOf(String token) {
        if (!Tokens.isWellFormed(token)) {
            return Optional.empty();
        }
        long now = clock.millis();
        return db.read(s -> s.getMapper(MemberSignInMapper.class).findSessionMember(MemberSignIn.sha256(token), now));
    }

    /** Ends a session (sign-out). */
    public void end(String token) {
        if (Tokens.isWellFormed(token)) {
            db.inTransaction(s -> s.getMapper(MemberSignInMapper.class).deleteSession(MemberSignIn.sha256(token)));
        }
    }
}
