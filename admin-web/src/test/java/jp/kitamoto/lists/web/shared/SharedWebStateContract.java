package jp.kitamoto.lists.web.shared;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.LoginThrottle;
import jp.kitamoto.lists.web.csv.ImportPlan;
import jp.kitamoto.lists.web.csv.ImportPlan.Action;
import jp.kitamoto.lists.web.csv.MemberImport;
import jp.kitamoto.lists.web.store.AuditMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Login throttling and CSV import plans as two nodes see them: two {@link Database}s on one database (two pools, as
 * two processes would have), each with its own {@link LoginThrottle} and {@link MemberImport}. What one node counts
 * or plans, the other must see. Run on SQLite ({@link SharedWebStateSqliteTest}) and PostgreSQL
 * ({@link SharedWebStatePostgresTest}).
 */
abstract class SharedWebStateContract {
    private final MovableClock clock = new MovableClock();
    private Database nodeA;
    private Database nodeB;
    private MemberImport importsA;
    private MemberImport importsB;

    /** Opens the same (migrated) database a second time for each call. */
    abstract Database openSameDatabase();

    @BeforeEach
    void openTwoNodes() {
        nodeA = openSameDatabase();
        nodeB = openSameDatabase();
        importsA = imports(nodeA);
        importsB = imports(nodeB);
    }

    @AfterEach
    void close() {
        importsA.close();
        importsB.close();
        nodeA.close();
        nodeB.close();
    }

    private MemberImport imports(Database db) {
        db.addMappers(AuditMapper.class);
        return new MemberImport(db, clock, new MembershipService(db, clock), new AuditLog(db, clock));
    }

    @Test
    void failedSignInsOnOneNodeLockTheAccountOnTheOther() {
        LoginThrottle throttleA = new LoginThrottle(nodeA, clock);
        LoginThrottle throttleB = new LoginThrottle(nodeB, clock);
        // A guesser spreading attempts over both nodes: five free attempts in all, not five per node.
        for (int i = 0; i < 5; i++) {
            (i % 2 == 0 ? throttleA : throttleB).failed("tanaka", "203.0.113." + i);
        }
        assertThat(throttleB.allowed("tanaka", "198.51.100.7")).as("locked for the user name on B").isFalse();
        assertThat(throttleA.allowed("tanaka", "198.51.100.7")).as("and on A").isFalse();
        assertThat(throttleA.allowed("suzuki", "198.51.100.7")).as("another user is not locked").isTrue();

        clock.advance(Duration.ofSeconds(31));
        assertThat(throttleB.allowed("tanaka", "198.51.100.7")).as("the first lock is 30 s").isTrue();
        throttleA.failed("tanaka", "198.51.100.7");
        clock.advance(Duration.ofSeconds(31));
        assertThat(throttleB.allowed("tanaka", "198.51.100.7")).as("the sixth failure doubles it").isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttleB.allowed("tanaka", "198.51.100.8")).isTrue();

        throttleB.succeeded("tanaka");
        throttleA.failed("tanaka", "198.51.100.9");
        assertThat(throttleA.allowed("tanaka", "198.51.100.10")).as("a success on B cleared A's count").isTrue();
    }

    @Test
    void oneAddressFailingForManyUsersIsLockedOnEveryNode() {
        LoginThrottle throttleA = new LoginThrottle(nodeA, clock);
        LoginThrottle throttleB = new LoginThrottle(nodeB, clock);
        for (int i = 0; i < 5; i++) {
            (i % 2 == 0 ? throttleA : throttleB).failed("user" + i, "192.0.2.1");
        }
        assertThat(throttleA.allowed("someone", "192.0.2.1")).isFalse();
        assertThat(throttleB.allowed("someone", "192.0.2.2")).isTrue();
        clock.advance(Duration.ofHours(25));
        assertThat(throttleB.allowed("someone", "192.0.2.1")).as("forgotten after a day").isTrue();
    }

    @Test
    void aPlanMadeOnOneNodeIsCommittedOnceFromTheOtherWithProgressEverywhere() {
        ListService lists = new ListService(nodeA, clock);
        MailingList list = lists.create("kyodo" + System.nanoTime() % 100000, "協働", "", PurposeCategory.GENERAL,
                ListKind.PURPOSE, ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "kyodo", "", List.of());
        new MembershipService(nodeA, clock).subscribe(list.id(), "known@example.jp", "既存", SubscriptionState.ACTIVE);
        StringBuilder csv = new StringBuilder("メールアドレス,氏名\r\n");
        for (int i = 0; i < 600; i++) {
            csv.append("member").append(i).append("@example.jp,会員 ").append(i).append("\r\n");
        }
        csv.append("known@example.jp,既存\r\nnot-an-address,誰か\r\n");

        ImportPlan made = importsA.dryRun(list.id(), 7, "会員.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        ImportPlan seenOnB = importsB.plan(made.id()).orElseThrow();
        assertThat(seenOnB.rows()).as("B shows exactly the rows A planned").isEqualTo(made.rows());
        assertThat(seenOnB.staffId()).isEqualTo(7);
        assertThat(seenOnB.listId()).isEqualTo(list.id());
        assertThat(seenOnB.count(Action.ADD)).isEqualTo(600);
        assertThat(seenOnB.count(Action.UNCHANGED)).isEqualTo(1);
        assertThat(seenOnB.count(Action.REFUSE)).isEqualTo(1);
        assertThat(seenOnB.isDryRun()).isTrue();

        assertThat(importsB.commit(seenOnB, "staff:tanaka", "127.0.0.1")).isTrue();
        assertThat(importsA.commit(made, "staff:tanaka", "127.0.0.1"))
                .as("a second click arriving at the other node does nothing").isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> importsA.plan(made.id()).orElseThrow().isDone());
        ImportPlan doneOnA = importsA.plan(made.id()).orElseThrow();
        assertThat(doneOnA.progressDone()).isEqualTo(600);
        assertThat(doneOnA.percent()).isEqualTo(100);
        Subscription last = new MembershipService(nodeA, clock).find(list.id(), "member599@example.jp").orElseThrow();
        assertThat(last.state()).isEqualTo(SubscriptionState.ACTIVE);
    }

    @Test
    void plansAreForgottenAfterAnHourButNeverWhileRunning() {
        ListService lists = new ListService(nodeA, clock);
        MailingList list = lists.create("old" + System.nanoTime() % 100000, "古い", "", PurposeCategory.GENERAL,
                ListKind.PURPOSE, ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "old", "", List.of());
        ImportPlan old = importsA.dryRun(list.id(), 1, "a.csv", "a@example.jp\r\n".getBytes(StandardCharsets.UTF_8));
        clock.advance(Duration.ofMinutes(61));
        ImportPlan fresh = importsB.dryRun(list.id(), 1, "b.csv", "b@example.jp\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(importsA.plan(old.id())).as("an hour-old dry run is gone").isEmpty();
        assertThat(importsA.plan(fresh.id())).isPresent();
    }
}
