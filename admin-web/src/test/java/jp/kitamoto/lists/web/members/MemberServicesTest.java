package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.TestSettings;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.AuditMapper.AuditEntry;
import jp.kitamoto.lists.web.store.ConfirmationMapper;
import jp.kitamoto.lists.web.store.RosterMapper;
import jp.kitamoto.lists.web.store.StaffMapper;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The member services on a real SQLite file with the production schema; the mail leaving is recorded. */
class MemberServicesTest {
    @TempDir
    static Path dir;
    static Settings settings;
    static Database db;
    static final MovableClock clock = new MovableClock();
    static ListService lists;
    static MembershipService memberships;
    static AuditLog audit;
    static final List<String> mails = new ArrayList<>();

    /** Records what would be sent; delivery itself is mail-server's and tested there. */
    static final Distributor distributor = new Distributor() {
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
            mails.add(new String(message, StandardCharsets.UTF_8));
            return mails.size();
        }

        @Override
        public void wake() {
        }
    };

    @BeforeAll
    static void open() {
        settings = TestSettings.forTest(dir, 25);
        db = Database.open(settings);
        db.addMappers(StaffMapper.class, AuditMapper.class, ConfirmationMapper.class, RosterMapper.class,
                ArchiveMapper.class);
        lists = new ListService(db, clock);
        memberships = new MembershipService(db, clock);
        audit = new AuditLog(db, clock);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static MailingList newList(String localPart) {
        return lists.create(localPart, "文化 " + localPart, "", PurposeCategory.GENERAL, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, localPart, "", List.of());
    }

    private static List<AuditEntry> auditOf(long listId) {
        return audit.page(List.of(listId), 0, 100);
    }

    @Test
    void staffChangesGoThroughTheMembershipServiceAndAreAudited() {
        MailingList list = newList("members1");
        MemberAdmin admin = new MemberAdmin(db, memberships, audit);
        Actor staff = new Actor("suzuki", "192.0.2.7");

        Subscription sub = admin.add(list.id(), " Taro@Example.JP ", "太郎", staff);
        admin.changeState(list.id(), sub.id(), SubscriptionState.SUSPENDED, staff);

        assertThat(memberships.find(list.id(), "taro@example.jp")).get()
                .extracting(Subscription::state).isEqualTo(SubscriptionState.SUSPENDED);
        assertThat(auditOf(list.id())).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("member.suspend", "suzuki", "配信中 → 配信停止中"),
                        org.assertj.core.groups.Tuple.tuple("member.add", "suzuki", "subscription " + sub.id()));
        assertThat(admin.page(list.id(), null, null, 0, 50).total()).isEqualTo(1);
    }

    @Test
    void aSubscriptionOfAnotherListIsNeverChanged() {
        MailingList mine = newList("members2");
        MailingList other = newList("members3");
        MemberAdmin admin = new MemberAdmin(db, memberships, audit);
        Subscription theirs = admin.add(other.id(), "hanako@example.jp", "", new Actor("a", "ip"));

        assertThatThrownBy(() -> admin.changeState(mine.id(), theirs.id(), SubscriptionState.UNSUBSCRIBED,
                new Actor("a", "ip"))).isInstanceOf(MemberAdmin.NotInListException.class);
        assertThat(memberships.byToken(theirs.token())).get().extracting(Subscription::state)
                .isEqualTo(SubscriptionState.ACTIVE);
        assertThat(auditOf(mine.id())).isEmpty();
    }

    @Test
    void anInvalidAddressIsADomainErrorAndChangesNothing() {
        MailingList list = newList("members4");
        MemberAdmin admin = new MemberAdmin(db, memberships, audit);
        assertThatThrownBy(() -> admin.add(list.id(), "not an address", "", new Actor("a", "ip")))
                .isInstanceOf(MembershipService.InvalidAddressException.class);
        assertThat(auditOf(list.id())).isEmpty();
    }

    @Test
    void confirmationMailComesFromTheRequestAddressWithTheCatalogueText() {
        MailingList list = newList("members5");
        SubscriptionRequests requests = new SubscriptionRequests(settings, db, clock, memberships, distributor, audit);
        mails.clear();

        requests.requestSubscription(list, "jiro@example.jp", "", "198.51.100.1");

        assertThat(mails).hasSize(1);
        String domain = settings.server().domain();
        assertThat(mails.get(0)).contains("members5-request@" + domain).contains("auto-generated");
        assertThat(auditOf(list.id())).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::clientIp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("subscription.request", "public",
                        "198.51.100.1"));
    }

    @Test
    void unsubscribingByTokenIsIdempotentAndAuditedOnce() {
        MailingList list = newList("members6");
        Subscription sub = memberships.subscribe(list.id(), "saburo@example.jp", "", SubscriptionState.ACTIVE);
        SubscriptionRequests requests = new SubscriptionRequests(settings, db, clock, memberships, distributor, audit);

        assertThat(requests.unsubscribe(sub.token(), "ip", "RFC 8058 ワンクリック")).isTrue();
        assertThat(requests.unsubscribe(sub.token(), "ip", "RFC 8058 ワンクリック")).isTrue();
        assertThat(requests.unsubscribe("no-such-token", "ip", "x")).isFalse();

        assertThat(memberships.byToken(sub.token())).get().extracting(Subscription::state)
                .isEqualTo(SubscriptionState.UNSUBSCRIBED);
        assertThat(auditOf(list.id())).extracting(AuditEntry::action).containsExactly("subscription.unsubscribe");
    }
}
