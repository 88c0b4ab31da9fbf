package jp.kitamoto.lists.web.members;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper.MySubscription;
import jp.kitamoto.lists.web.store.MemberSignInMapper;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The member's page services and their mappers (V104) on a real SQLite file and, when
 * {@value TestDatabases#POSTGRES_URL_ENV} is set, on PostgreSQL: the SQL is written once for both. The mail itself
 * is caught by a recording {@link Distributor} (the whole mail path is covered by MemberPageTest).
 */
class MemberSignInStoreTest {
    @TempDir
    Path dir;

    /** Keeps what would have been mailed. */
    private static final class RecordingDistributor implements Distributor {
        final List<byte[]> mails = new ArrayList<>();

        @Override
        public long distributeToList(SqlSession session, long listId, byte[] message, PostOrigin origin) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long distributeDigest(SqlSession session, long listId, byte[] message, java.util.Locale language) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long sendOne(SqlSession session, long listId, String recipient, byte[] message, boolean decorate) {
            mails.add(message);
            return mails.size();
        }

        @Override
        public void wake() {
        }
    }

    private Database open(String dialect) {
        if (dialect.equals("postgresql")) {
            assumeTrue(System.getenv(TestDatabases.POSTGRES_URL_ENV) != null, "no PostgreSQL configured");
            return TestDatabases.freshPostgres();
        }
        return TestDatabases.freshSqlite(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void linksSessionsAndTheMembersChoicesAreStored(String dialect) throws Exception {
        try (Database db = open(dialect)) {
            db.addMappers(AuditMapper.class, MemberSignInMapper.class, MemberPageMapper.class);
            MovableClock clock = new MovableClock();
            Settings settings = TestSettings.forTest(dir, 25, Map.of());
            ListService lists = new ListService(db, clock);
            lists.seedIfEmpty(SeedLists.load());
            MembershipService memberships = new MembershipService(db, clock);
            AuditLog audit = new AuditLog(db, clock);
            RecordingDistributor mail = new RecordingDistributor();
            MemberSignIn signIn = new MemberSignIn(settings, db, clock, memberships, mail, audit);
            MemberSessions sessions = new MemberSessions(db, clock);
            MemberSelfService self = new MemberSelfService(db, clock, memberships, audit);
            long bunka = lists.byLocalPart("bunka").orElseThrow().id();
            long sub = memberships.subscribe(bunka, "hanako@example.jp", "花子", SubscriptionState.ACTIVE).id();
            long other = memberships.subscribe(bunka, "jiro@example.jp", "", SubscriptionState.ACTIVE).id();
            long member = memberships.find(bunka, "hanako@example.jp").orElseThrow().memberId();

            assertThat(signIn.requestLink("stranger@example.jp", "192.0.2.1")).isEqualTo(MemberSignIn.Outcome.ACCEPTED);
            assertThat(mail.mails).isEmpty();
            assertThat(signIn.requestLink("Hanako@Example.JP", "192.0.2.1")).isEqualTo(MemberSignIn.Outcome.ACCEPTED);
            assertThat(mail.mails).hasSize(1);
            MimeMessage m = new MimeMessage((Session) null, new ByteArrayInputStream(mail.mails.get(0)));
            Matcher link = Pattern.compile("/me/signin/([a-z2-7]+)").matcher((String) m.getContent());
            assertThat(link.find()).isTrue();
            String token = link.group(1);
            java.util.Optional<MemberSignInMapper.Link> byClearToken =
                    db.read(s -> s.getMapper(MemberSignInMapper.class).findLinkByTokenHash(token));
            assertThat(byClearToken).as("only the hash is stored").isEmpty();

            assertThat(signIn.pendingMember(token)).contains(member);
            assertThat(signIn.pendingMember(token)).as("reading changes nothing").contains(member);
            assertThat(signIn.redeem(token, "192.0.2.1")).contains(member);
            assertThat(signIn.redeem(token, "192.0.2.1")).as("once").isEmpty();

            String cookie = sessions.start(member);
            assertThat(sessions.memberOf(cookie)).contains(member);
            clock.advance(MemberSessions.LIFETIME.plus(Duration.ofSeconds(1)));
            assertThat(sessions.memberOf(cookie)).as("expired").isEmpty();
            String second = sessions.start(member);
            sessions.end(second);
            assertThat(sessions.memberOf(second)).as("signed out").isEmpty();

            Actor actor = Actor.member(member, "192.0.2.1");
            LocalDate until = self.firstResumeDay().plusDays(3);
            self.pause(member, sub, until, actor);
            MySubscription paused = self.subscriptions(member).get(0);
            assertThat(paused.pausedAt()).isNotNull();
            assertThat(self.paused(paused)).isTrue();
            self.setDeliveryMode(member, sub, DeliveryMode.DIGEST, actor);
            assertThat(self.subscriptions(member).get(0).deliveryMode()).isEqualTo(DeliveryMode.DIGEST);
            self.resume(member, sub, actor);
            assertThat(self.subscriptions(member).get(0).pausedAt()).isNull();
            assertThatThrownBy(() -> self.pause(member, other, null, actor))
                    .isInstanceOf(MemberSelfService.NotYoursException.class);
            assertThatThrownBy(() -> self.pause(member, sub, self.lastResumeDay().plusDays(1), actor))
                    .isInstanceOf(MemberSelfService.BadDateException.class);
            assertThat(self.isMemberOf(member, bunka)).isTrue();
            self.leave(member, sub, actor);
            assertThat(self.isMemberOf(member, bunka)).isFalse();
            assertThat(self.subscriptions(member)).isEmpty();
            assertThat(audit.page(null, 0, 20)).extracting(AuditMapper.AuditEntry::action)
                    .contains("member.signin-request", "member.signin", "member.pause", "member.delivery-mode",
                            "member.resume", "member.leave");
        }
    }
}
