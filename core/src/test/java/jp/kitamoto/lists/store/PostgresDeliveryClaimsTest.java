package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery claims of several nodes on one PostgreSQL database (#11), at the mapper: nodes claiming at the same
 * moment take disjoint rows, a held claim keeps others off until its lease lapses, recording the outcome ends it,
 * and renewal and release touch only the node's own claims.
 */
@EnabledIfEnvironmentVariable(named = TestDatabases.POSTGRES_URL_ENV, matches = "jdbc:postgresql:.+")
class PostgresDeliveryClaimsTest {
    private static final long NOW = 10_000L;
    private static final long LEASE = 60_000L;
    private Database db;
    private long postId;

    @BeforeEach
    void rows() {
        db = TestDatabases.freshPostgres();
        long listId = new ListService(db, Clock.systemUTC()).create("claims", "テスト", "説明", PurposeCategory.WELFARE,
                ListKind.PURPOSE, ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "claims", "",
                List.of("owner@example.jp")).id();
        postId = db.inTransaction(s -> {
            IdHolder key = new IdHolder();
            s.getMapper(PostMapper.class).insertPost(new Post(0, listId, PostOrigin.SMTP, 1L, "<a@b>", "a@example.jp",
                    "a@example.jp", "件名", "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII), null,
                    PostState.ACCEPTED, "", NOW, NOW), key);
            return key.getId();
        });
        db.inTransaction(s -> {
            for (int i = 0; i < 200; i++) {
                s.getMapper(DeliveryMapper.class).insertDelivery(postId, "m" + i + "@example.jp", "t" + i, NOW);
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<DueDelivery> claim(String node, long now, int limit) {
        return db.inTransaction(s -> s.getMapper(DeliveryMapper.class).claimDue(now, 0, limit, node, now + LEASE));
    }

    private static Set<Long> ids(List<DueDelivery> rows) {
        Set<Long> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void nodesClaimingAtTheSameMomentTakeDisjointRowsAndTogetherAll() throws Exception {
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Long>>> taken = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                String node = "node-" + n;
                taken.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    List<DueDelivery> batch;
                    do {
                        batch = claim(node, NOW, 7);
                        batch.forEach(r -> mine.add(r.id()));
                    } while (!batch.isEmpty());
                    return mine;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : taken) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(200).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimKeepsOtherNodesOffUntilItsLeaseLapses() {
        Set<Long> a = ids(claim("a", NOW, 50));
        assertThat(a).hasSize(50);
        Set<Long> b = ids(claim("b", NOW + 1, 1000));
        assertThat(b).hasSize(150).doesNotContainAnyElementsOf(a);
        assertThat(claim("c", NOW + LEASE - 1, 1000)).as("every claim still held").isEmpty();
        // Node a died: its leases lapse; b's (taken 1 ms later) are still held at that moment.
        assertThat(ids(claim("c", NOW + LEASE + 1, 1000))).isEqualTo(a);
    }

    @Test
    void recordingTheOutcomeEndsTheClaimAndASentRowIsNeverClaimedAgain() {
        List<DueDelivery> a = claim("a", NOW, 3);
        DeliveryMapper.DueDelivery sent = a.get(0);
        DeliveryMapper.DueDelivery retried = a.get(1);
        db.inTransaction(s -> {
            s.getMapper(DeliveryMapper.class).markSent(sent.id(), "250 ok", NOW);
            s.getMapper(DeliveryMapper.class).scheduleRetry(retried.id(), NOW + 5000, "451 later", NOW);
            return null;
        });
        assertThat(claimColumns(sent.id())).containsExactly(null, null);
        assertThat(claimColumns(retried.id())).containsExactly(null, null);
        Set<Long> later = ids(claim("b", NOW + LEASE + 10_000, 1000));
        assertThat(later).doesNotContain(sent.id()).contains(retried.id(), a.get(2).id());
    }

    @Test
    void renewalAndReleaseTouchOnlyTheNodesOwnClaims() {
        List<Long> a = new ArrayList<>(ids(claim("a", NOW, 10)));
        List<Long> b = new ArrayList<>(ids(claim("b", NOW, 10)));
        List<Long> both = new ArrayList<>(a);
        both.addAll(b);
        int renewed = db.inTransaction(s -> s.getMapper(DeliveryMapper.class).renewClaims(both, "a", NOW + 3 * LEASE));
        assertThat(renewed).isEqualTo(10);
        // At NOW + 2 leases b's claims lapsed and a's (renewed) did not.
        assertThat(ids(claim("c", NOW + 2 * LEASE, 1000))).containsAll(b).doesNotContainAnyElementsOf(a);
        int released = db.inTransaction(s -> s.getMapper(DeliveryMapper.class).releaseClaims(both, "a"));
        assertThat(released).isEqualTo(10);
        assertThat(ids(claim("d", NOW + 2 * LEASE, 1000))).containsExactlyInAnyOrderElementsOf(a);
    }

    private List<Object> claimColumns(long id) {
        return db.read(s -> {
            try (var st = s.getConnection().prepareStatement(
                    "SELECT claimed_by, lease_until FROM deliveries WHERE id = ?")) {
                st.setLong(1, id);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    List<Object> row = new ArrayList<>();
                    row.add(rs.getString(1));
                    row.add(rs.getObject(2));
                    return row;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
