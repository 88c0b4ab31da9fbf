package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The group-commit writer of delivery outcomes, against the production schema in a fresh SQLite file. */
class StatusWriterTest {
    @TempDir
    Path dir;
    Database db;
    StatusWriter writer;
    final Queue<Long> committed = new ConcurrentLinkedQueue<>();
    long postId;

    @BeforeEach
    void setUp() {
        db = TestDatabases.freshSqlite(dir);
        ListService lists = new ListService(db, Clock.systemUTC());
        lists.seedIfEmpty(SeedLists.load());
        MailingList bunka = lists.byLocalPart("bunka").orElseThrow();
        byte[] raw = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        postId = db.inTransaction(s -> {
            IdHolder key = new IdHolder();
            s.getMapper(PostMapper.class).insertPost(new Post(0, bunka.id(), PostOrigin.SMTP, 1L, "<m@x>", "a@x",
                    "a@x", "x", raw, raw, PostState.ACCEPTED, "", 0, 0L), key);
            return key.getId();
        });
        writer = new StatusWriter(db, committed::add);
        writer.start();
    }

    @AfterEach
    void tearDown() {
        writer.close();
        db.close();
    }

    private List<Long> pendingRows(int n) {
        return db.inTransaction(s -> {
            DeliveryMapper m = s.getMapper(DeliveryMapper.class);
            for (int i = 0; i < n; i++) {
                m.insertDelivery(postId, "r" + i + "@example.jp", "token" + i, 0);
            }
            return m.findDue(0, 0, n).stream().map(DeliveryMapper.DueDelivery::id).toList();
        });
    }

    private Map<Long, Delivery> rows() {
        return db.read(s -> s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 1000)).stream()
                .collect(Collectors.toMap(Delivery::id, Function.identity()));
    }

    @Test
    void eachOutcomeShouldBeCommittedBeforeItsFutureCompletes() throws Exception {
        List<Long> ids = pendingRows(3);

        writer.submit(new StatusWriter.Sent(ids.get(0), "250 2.0.0 ok", 10)).get(10, TimeUnit.SECONDS);
        writer.submit(new StatusWriter.Retry(ids.get(1), 5000, "451 4.3.0 later", 11)).get(10, TimeUnit.SECONDS);
        writer.submit(new StatusWriter.Failed(ids.get(2), "550 5.1.1 no such user", 12)).get(10, TimeUnit.SECONDS);

        Map<Long, Delivery> rows = rows();
        assertThat(rows.get(ids.get(0)).state()).isEqualTo(DeliveryState.SENT);
        assertThat(rows.get(ids.get(0)).lastReply()).isEqualTo("250 2.0.0 ok");
        assertThat(rows.get(ids.get(1)).state()).isEqualTo(DeliveryState.PENDING);
        assertThat(rows.get(ids.get(1)).nextAttemptAt()).isEqualTo(5000);
        assertThat(rows.get(ids.get(1)).attempts()).isEqualTo(1);
        assertThat(rows.get(ids.get(2)).state()).isEqualTo(DeliveryState.FAILED);
        assertThat(rows.get(ids.get(2)).lastReply()).isEqualTo("550 5.1.1 no such user");
        assertThat(committed).containsExactlyElementsOf(ids);
    }

    @Test
    void manyOutcomesSubmittedAtOnceShouldAllBeRecorded() throws Exception {
        List<Long> ids = pendingRows(500);
        List<CompletableFuture<Void>> done = new ArrayList<>();

        for (long id : ids) {
            done.add(writer.submit(new StatusWriter.Sent(id, "250 ok", 20)));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(rows().values()).extracting(Delivery::state).containsOnly(DeliveryState.SENT).hasSize(500);
        assertThat(committed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(db.read(s -> s.getMapper(DeliveryMapper.class).countPending()).longValue()).isZero();
    }

    @Test
    void outcomesQueuedBeforeCloseShouldStillBeRecorded() {
        List<Long> ids = pendingRows(20);
        List<CompletableFuture<Void>> done = ids.stream()
                .map(id -> writer.submit(new StatusWriter.Failed(id, "gave up", 30))).toList();

        writer.close();

        assertThat(done).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(rows().values()).extracting(Delivery::state).containsOnly(DeliveryState.FAILED);
    }
}
