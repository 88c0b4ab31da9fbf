package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.schedules.store.DigestRunMapper;
import jp.kitamoto.lists.schedules.testing.RowDistributor;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digest service over the production schema, on SQLite and (with {@code KITAMOTO_TEST_POSTGRES_URL}) PostgreSQL:
 * which rows a digest makes, that it is made once even when its trigger and the sweep fire it at the same moment,
 * that the next one starts where it ended, and who gets each post while the list offers no digest. The Distributor
 * is {@link RowDistributor} (rows only; the mail itself is tested end to end in app).
 */
class DigestServiceTest {
    @TempDir
    Path dir;
    final MovableClock clock = new MovableClock(jst(15, 9, 0));
    Database db;
    MailingList list;
    DigestService digests;

    static Instant jst(int day, int h, int min) {
        return LocalDateTime.of(2027, 1, day, h, min).atZone(JapanTime.ZONE).toInstant();
    }

    void open(String database) {
        if (database.equals("postgres")) {
            Assumptions.assumeTrue(System.getenv(TestDatabases.POSTGRES_URL_ENV) != null,
                    TestDatabases.POSTGRES_URL_ENV + " not set");
            db = TestDatabases.freshPostgres();
        } else {
            db = TestDatabases.freshSqlite(dir);
        }
        list = new ListService(db, clock).create("bunka", "教育・文化", "", PurposeCategory.GENERAL, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "bunka", "", List.of("owner@city.example"));
        MembershipService members = new MembershipService(db, clock);
        members.subscribe(list.id(), "each@example.jp", "", SubscriptionState.ACTIVE);
        Subscription digest = members.subscribe(list.id(), "digest@example.jp", "", SubscriptionState.ACTIVE);
        db.inTransaction(s -> {
            try (Statement st = s.getConnection().createStatement()) {
                return st.executeUpdate("UPDATE subscriptions SET delivery_mode = 'DIGEST' WHERE id = " + digest.id());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        digests = new DigestService(db, clock, new RowDistributor(clock),
                new DigestComposer("ml.example.jp", "https://lists.example", clock));
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** An accepted post, numbered and expanded as mail-server's distribution does; returns its recipients. */
    List<String> acceptPost(String subject) {
        return db.inTransaction(s -> {
            ListMapper lists = s.getMapper(ListMapper.class);
            long seq = lists.reserveSequence(list.id());
            byte[] bytes = ("From: a@example.jp\r\nSubject: [bunka:" + seq + "] " + subject + "\r\n\r\nbody\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            IdHolder key = new IdHolder();
            s.getMapper(PostMapper.class).insertPost(new Post(0, list.id(), PostOrigin.SMTP, seq, null, "a@example.jp",
                    "a@example.jp", subject, bytes, bytes, PostState.ACCEPTED, "", clock.millis(), clock.millis()), key);
            s.getMapper(DeliveryMapper.class).expandPost(key.getId(), list.id(), clock.millis());
            return s.getMapper(DeliveryMapper.class).findByPost(key.getId(), 0, 100).stream()
                    .map(d -> d.recipient()).toList();
        });
    }

    List<DigestRunMapper.DigestRun> runs() {
        return digests.history(list.id(), 100);
    }

    List<String> recipientsOf(long postId) {
        return db.read(s -> s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 100)).stream()
                .map(d -> d.recipient()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void eachDigestIsMadeOnceAndTheNextStartsWhereItEnded(String database) throws Exception {
        open(database);
        assertThat(acceptPost("before")).as("no digest offered: the digest member gets each post")
                .containsExactlyInAnyOrder("each@example.jp", "digest@example.jp");
        new DigestSettings(db, clock).save(list.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());
        assertThat(acceptPost("first")).containsExactly("each@example.jp");
        assertThat(acceptPost("second")).containsExactly("each@example.jp");

        clock.set(jst(15, 17, 59));
        assertThat(digests.fire(list.id(), DigestCadence.DAILY)).isEqualTo(DigestService.Outcome.NOT_DUE);
        clock.set(jst(15, 18, 0));
        // The trigger and the sweep at the same moment: one digest.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<DigestService.Outcome>> both = new ArrayList<>();
        Callable<DigestService.Outcome> fire = () -> digests.fire(list.id(), DigestCadence.DAILY);
        both.add(pool.submit(fire));
        both.add(pool.submit(fire));
        List<DigestService.Outcome> outcomes = new ArrayList<>();
        for (Future<DigestService.Outcome> f : both) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes).containsExactlyInAnyOrder(DigestService.Outcome.MADE, DigestService.Outcome.NOT_DUE);
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.fromSequence()).as("after the post numbered before the digest was turned on").isEqualTo(1);
            assertThat(r.toSequence()).isEqualTo(3);
            assertThat(r.posts()).isEqualTo(2);
            assertThat(recipientsOf(r.postId())).containsExactly("digest@example.jp");
        });
        Post digest = db.read(s -> s.getMapper(PostMapper.class).findById(runs().get(0).postId())).orElseThrow();
        assertThat(digest.origin()).isEqualTo(PostOrigin.DIGEST);
        assertThat(digest.sequence()).as("a digest takes no number").isNull();
        assertThat(new String(digest.prepared(), StandardCharsets.ISO_8859_1))
                .contains("[bunka:2] first", "[bunka:3] second").doesNotContain("[bunka:1] before");

        assertThat(digests.sweep()).isZero();
        acceptPost("third");
        clock.set(jst(16, 18, 0));
        assertThat(digests.sweep()).isEqualTo(1);
        assertThat(runs().get(0)).satisfies(r -> {
            assertThat(r.fromSequence()).isEqualTo(3);
            assertThat(r.toSequence()).isEqualTo(4);
        });
        clock.set(jst(17, 18, 0));
        assertThat(digests.fire(list.id(), DigestCadence.DAILY)).isEqualTo(DigestService.Outcome.NO_POSTS);
        assertThat(runs()).hasSize(3);
        assertThat(runs().get(0).postId()).isNull();

        new DigestSettings(db, clock).save(list.id(), Optional.empty(), Optional.empty());
        assertThat(digests.plan()).as("nothing planned once turned off").isEmpty();
        assertThat(acceptPost("after")).as("each post again")
                .containsExactlyInAnyOrder("each@example.jp", "digest@example.jp");
    }
}
