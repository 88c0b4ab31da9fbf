package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Records delivery outcomes with group commit, two ways. The smarthost connections' outcomes are committed by the I/O
 * thread itself, one group per turn of its loop ({@link #commitNow}, see {@link SmarthostClient}); a connection
 * writes the content of its next copy only after that, so a crash can re-send at most one copy per open connection
 * (the one sent but not yet recorded), never a backlog. Outcomes decided before any connection is involved (a post
 * that cannot be prepared) go through the writer thread ({@link #submit}), which gathers whatever arrived meanwhile.
 */
final class StatusWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
    private static final int MAX_BATCH = 2000;

    sealed interface Update permits Sent, Retry, Failed {
        long id();
    }

    record Sent(long id, String reply, long now) implements Update {
    }

    record Retry(long id, long nextAttemptAt, String reply, long now) implements Update {
    }

    record Failed(long id, String reply, long now) implements Update {
    }

    /** {@code after} runs on this thread once the update is committed (or recording failed for good). */
    private record Pending(Update update, CompletableFuture<Void> done, Runnable after) {
    }

    private final Database db;
    private final LongConsumer committed;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    StatusWriter(Database db, LongConsumer committed) {
        this.db = db;
        this.committed = committed;
        this.thread = new Thread(this::run, "delivery-status");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues an update; the future completes once it is committed. */
    CompletableFuture<Void> submit(Update update) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(update, done, null));
        return done;
    }

    /** Commits these updates now, on the calling thread, as one group (with the same retries as the writer's). */
    void commitNow(List<Update> updates) {
        List<Pending> batch = new ArrayList<>(updates.size());
        for (Update u : updates) {
            batch.add(new Pending(u, null, null));
        }
        commit(batch);
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (SqlSession session = db.statusSessions().openSession(ExecutorType.BATCH, false)) {
                DeliveryMapper mapper = session.getMapper(DeliveryMapper.class);
                for (Pending p : batch) {
                    Update u = p.update();
                    if (u instanceof Sent s) {
                        mapper.markSent(s.id(), s.reply(), s.now());
                    } else if (u instanceof Retry r) {
                        mapper.scheduleRetry(r.id(), r.nextAttemptAt(), r.reply(), r.now());
                    } else if (u instanceof Failed f) {
                        mapper.markFailed(f.id(), f.reply(), f.now());
                    }
                }
                session.flushStatements();
                session.commit(true);
                for (Pending p : batch) {
                    committed.accept(p.update().id());
                    finish(p, null);
                }
                return;
            } catch (RuntimeException e) {
                last = e;
                log.warn("recording {} delivery outcomes failed (attempt {}): {}", batch.size(), attempt + 1, e.getMessage());
            }
        }
        log.error("{} delivery outcomes could not be recorded; those copies may be sent again after a restart",
                batch.size(), last);
        for (Pending p : batch) {
            committed.accept(p.update().id());
            finish(p, last);
        }
    }

    private static void finish(Pending p, RuntimeException failure) {
        if (p.done() != null) {
            if (failure == null) {
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(failure);
            }
        }
        if (p.after() != null) {
            try {
                p.after().run();
            } catch (RuntimeException e) {
                log.error("after recording delivery {}", p.update().id(), e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
