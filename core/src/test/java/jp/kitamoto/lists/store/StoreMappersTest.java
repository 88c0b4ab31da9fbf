package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mappers against the production schema (the real migrations) on a fresh database. Runs on SQLite always
 * ({@link SqliteStoreMappersTest}) and on PostgreSQL where one is configured ({@link PostgresStoreMappersTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreMappersTest {
    @TempDir
    static Path dir;
    Database db;
    ListService lists;
    MembershipService members;

    /** A fresh, migrated database; each call gives a new, empty one. */
    abstract Database freshDatabase(Path dir);

    @BeforeAll
    void open() {
        db = freshDatabase(dir);
        lists = new ListService(db, Clock.systemUTC());
        members = new MembershipService(db, Clock.systemUTC());
    }

    @AfterAll
    void close() {
        db.close();
    }

    private MailingList newList(String name) {
        return lists.create(name, "テスト " + name, "説明", PurposeCategory.WELFARE, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, name, "", List.of("owner@example.jp"));
    }

    @Test
    void seedListsAreCreatedOnceWithJapaneseNames() {
        // The seed runs only on an empty database; this test owns a database of its own for that reason.
        Database fresh = freshDatabase(dir.resolve("seed"));
        try {
            ListService service = new ListService(fresh, Clock.systemUTC());
            int created = service.seedIfEmpty(SeedLists.load());
            assertThat(created).isEqualTo(6);
            assertThat(service.seedIfEmpty(SeedLists.load())).isZero();
            assertThat(service.byLocalPart("fukushi")).get()
                    .extracting(MailingList::displayName).isEqualTo("高齢者福祉・障害者福祉");
            assertThat(service.byLocalPart("fair")).get().extracting(MailingList::policy).isEqualTo(ListPolicy.ANNOUNCE);
            assertThat(service.byLocalPart("bosai-council")).get().extracting(MailingList::kind).isEqualTo(ListKind.COUNCIL);
            assertThat(service.owners(service.byLocalPart("fair").orElseThrow().id())).hasSize(1);
        } finally {
            fresh.close();
        }
    }

    @Test
    void sequenceNumbersIncreasePerList() {
        MailingList list = newList("seq");
        long first = db.inTransaction(s -> s.getMapper(ListMapper.class).reserveSequence(list.id()));
        long second = db.inTransaction(s -> s.getMapper(ListMapper.class).reserveSequence(list.id()));
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
    }

    /**
     * Posts to one list accepted at the same moment (two nodes, or two SMTP threads) take their numbers in concurrent
     * transactions; some of those roll back (a post that fails after numbering). The numbers that commit must be
     * 1..n exactly: none twice, none skipped. On PostgreSQL this is the row lock of {@code reserveSequence}; a
     * read-then-write would hand out duplicates here, and a counter outside the transaction would leave gaps.
     */
    @Test
    void concurrentTransactionsTakeDistinctConsecutiveNumbersEvenWhenSomeRollBack() throws Exception {
        MailingList list = newList("seqrace");
        int threads = 4;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Long>>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> committed = new java.util.ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        try (org.apache.ibatis.session.SqlSession session = db.sessions().openSession(false)) {
                            long number = session.getMapper(ListMapper.class).reserveSequence(list.id());
                            // Hold the number across more work in the same transaction, as a post's expansion does.
                            session.getMapper(ListMapper.class).findById(list.id());
                            if ((thread + i) % 4 == 0) {
                                session.rollback(true);
                            } else {
                                session.commit(true);
                                committed.add(number);
                            }
                        }
                    }
                    return committed;
                }));
            }
            start.countDown();
            List<Long> all = new java.util.ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            java.util.Collections.sort(all);
            List<Long> expected = java.util.stream.LongStream.rangeClosed(1, all.size()).boxed().toList();
            assertThat(all).as("committed numbers").isEqualTo(expected);
            assertThat(all.size()).isLessThan(threads * perThread).isGreaterThan(0);
            long next = db.read(s -> s.getMapper(ListMapper.class).findById(list.id())).orElseThrow().nextSequence();
            assertThat(next).isEqualTo(all.size() + 1L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void carrierAddressWithDoubleDotIsAMemberAndFoundCaseInsensitively() {
        MailingList list = newList("docomo");
        Subscription sub = members.subscribe(list.id(), "Taro..Yamada.@docomo.ne.jp", "山田 太郎", SubscriptionState.ACTIVE);
        assertThat(sub.token()).hasSizeGreaterThan(20);
        assertThat(members.find(list.id(), "taro..yamada.@DOCOMO.ne.jp")).get().extracting(Subscription::id)
                .isEqualTo(sub.id());
        assertThat(members.byToken(sub.token())).isPresent();
    }

    private Long lastBounceAt(long subscriptionId) {
        return db.read(s -> s.getMapper(SubscriptionMapper.class).findLastBounceAt(subscriptionId));
    }

    @Test
    void bounceScoreAndDateAreRecordedAndResumingClearsThem() {
        MailingList list = newList("bounce");
        Subscription sub = members.subscribe(list.id(), "gone@example.jp", "", SubscriptionState.ACTIVE);
        assertThat(lastBounceAt(sub.id())).isNull();
        db.inTransaction(s -> s.getMapper(SubscriptionMapper.class).recordBounce(sub.id(), 3, 123_456L));
        assertThat(lastBounceAt(sub.id())).isEqualTo(123_456L);
        assertThat(members.byToken(sub.token()).orElseThrow().bounceScore()).isEqualTo(3);

        members.setState(sub.id(), SubscriptionState.SUSPENDED);
        assertThat(members.byToken(sub.token()).orElseThrow().bounceScore()).as("suspending keeps the score").isEqualTo(3);
        members.setState(sub.id(), SubscriptionState.ACTIVE);
        assertThat(members.byToken(sub.token()).orElseThrow().bounceScore()).isZero();
        assertThat(lastBounceAt(sub.id())).isNull();
    }

    @Test
    void expandingAPostCreatesOnePendingRowPerActiveSubscriberAndIsIdempotent() {
        MailingList list = newList("expand");
        for (int i = 0; i < 50; i++) {
            members.subscribe(list.id(), "m" + i + "@example.jp", "", SubscriptionState.ACTIVE);
        }
        members.subscribe(list.id(), "suspended@example.jp", "", SubscriptionState.SUSPENDED);
        members.subscribe(list.id(), "pending@example.jp", "", SubscriptionState.PENDING);
        long postId = insertPost(list.id());

        int rows = db.inTransaction(s -> s.getMapper(DeliveryMapper.class).expandPost(postId, list.id(), 1000L));
        int again = db.inTransaction(s -> s.getMapper(DeliveryMapper.class).expandPost(postId, list.id(), 1000L));

        assertThat(rows).isEqualTo(50);
        assertThat(again).isZero();
        List<DeliveryMapper.DueDelivery> due = db.read(s -> s.getMapper(DeliveryMapper.class).findDue(1000L, 0, 1000));
        assertThat(due).hasSize(50).allSatisfy(d -> assertThat(d.postId()).isEqualTo(postId));
        List<DeliveryMapper.DueDelivery> early = db.read(s -> s.getMapper(DeliveryMapper.class).findDue(999L, 0, 1000));
        assertThat(early).isEmpty();

        long firstId = due.get(0).id();
        db.inTransaction(s -> s.getMapper(DeliveryMapper.class).markSent(firstId, "250 ok", 2000L));
        db.inTransaction(s -> s.getMapper(DeliveryMapper.class).markFailed(due.get(1).id(), "550 no such user", 2000L));
        db.inTransaction(s -> s.getMapper(DeliveryMapper.class).scheduleRetry(due.get(2).id(), 5000L, "451 later", 2000L));
        List<DeliveryMapper.StateCount> counts = db.read(s -> s.getMapper(DeliveryMapper.class).countByPost(postId));
        assertThat(counts).containsExactlyInAnyOrder(new DeliveryMapper.StateCount(DeliveryState.FAILED, 1),
                new DeliveryMapper.StateCount(DeliveryState.PENDING, 48), new DeliveryMapper.StateCount(DeliveryState.SENT, 1));
        List<DeliveryMapper.DueDelivery> later = db.read(s -> s.getMapper(DeliveryMapper.class).findDue(3000L, 0, 1000));
        assertThat(later).hasSize(47);
    }

    @Test
    void postKeepsItsRawBytesExactly() {
        MailingList list = newList("raw");
        long id = insertPost(list.id());
        Post post = db.read(s -> s.getMapper(PostMapper.class).findById(id)).orElseThrow();
        assertThat(post.raw()).isEqualTo(rawMessage());
        assertThat(post.state()).isEqualTo(PostState.ACCEPTED);
        assertThat(post.origin()).isEqualTo(PostOrigin.SMTP);
    }

    @Test
    void concurrentWritersWaitForEachOtherInsteadOfFailing() throws Exception {
        MailingList list = newList("busy");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Subscription>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return members.subscribe(list.id(), "w" + n + "@example.jp", "", SubscriptionState.ACTIVE);
                }));
            }
            start.countDown();
            for (Future<Subscription> f : results) {
                assertThat(f.get().state()).isEqualTo(SubscriptionState.ACTIVE);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(members.count(list.id(), SubscriptionState.ACTIVE)).isEqualTo(40);
    }

    @Test
    void pausedAndDigestSubscriptionsGetNoCopyUntilThePauseEndsOrTheyChooseEachPostAgain() {
        MailingList list = newList("pause");
        long away = members.subscribe(list.id(), "away@example.jp", "", SubscriptionState.ACTIVE).id();
        long until = members.subscribe(list.id(), "until@example.jp", "", SubscriptionState.ACTIVE).id();
        long digest = members.subscribe(list.id(), "digest@example.jp", "", SubscriptionState.ACTIVE).id();
        members.subscribe(list.id(), "each@example.jp", "", SubscriptionState.ACTIVE);
        long now = System.currentTimeMillis();
        long resumeAt = now + 3_600_000L;
        db.inTransaction(s -> members.pause(s, away, null) && members.pause(s, until, resumeAt)
                && members.setDeliveryMode(s, digest, DeliveryMode.DIGEST));
        // The list offers a daily digest (a member who chose the digest on a list without one gets each post).
        new jp.kitamoto.lists.service.DigestSettings(db, java.time.Clock.systemUTC())
                .save(list.id(), java.util.Optional.of(java.time.LocalTime.of(18, 0)), java.util.Optional.empty());

        long first = insertPost(list.id());
        assertThat((int) db.<Integer>inTransaction(s -> s.getMapper(DeliveryMapper.class).expandPost(first, list.id(), now)))
                .as("only each@").isEqualTo(1);
        long second = insertPost(list.id());
        assertThat((int) db.<Integer>inTransaction(s -> s.getMapper(DeliveryMapper.class).expandPost(second, list.id(), resumeAt)))
                .as("a pause whose end has come is over: each@ and until@").isEqualTo(2);

        db.inTransaction(s -> members.resume(s, away) && members.setDeliveryMode(s, digest, DeliveryMode.EACH));
        long third = insertPost(list.id());
        assertThat((int) db.<Integer>inTransaction(s -> s.getMapper(DeliveryMapper.class).expandPost(third, list.id(), now)))
                .as("each@, away@ (resumed), digest@ (each post again); until@ still paused").isEqualTo(3);
    }

    private long insertPost(long listId) {
        Post post = new Post(0, listId, PostOrigin.SMTP, null, "<a@b>", "a@example.jp", "a@example.jp", "件名",
                rawMessage(), null, PostState.ACCEPTED, "", 1000L, null);
        return db.inTransaction(s -> {
            IdHolder key = new IdHolder();
            s.getMapper(PostMapper.class).insertPost(post, key);
            return key.getId();
        });
    }

    private static byte[] rawMessage() {
        return "Subject: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n\r\n\u001b$B$3$s$K$A$O\u001b(B\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
