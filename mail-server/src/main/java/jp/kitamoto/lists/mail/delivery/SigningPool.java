package jp.kitamoto.lists.mail.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that make signed copies' header blocks, one per core. A DKIM signature is one RSA-2048 operation per copy
 * (about 0.3 ms of CPU with ACCP, 0.6 ms with Conscrypt), far more than everything else a copy costs; made on the dispatcher thread
 * alone, signed delivery ran at one core's signing rate (measured: 1,281 copies/s at 100,000 on an idle 2-core
 * machine, the other core mostly idle). Unsigned copies never come here: their headers cost microseconds, less than
 * a hand-off.
 *
 * <p>At most {@value #WAITING_ROWS_PER_THREAD} rows per thread wait in tasks (about 0.15 s of signing), and
 * {@link #submit} blocks beyond that, so memory stays flat whatever the list size and the dispatcher never runs far
 * ahead of the signers. The buffer is that deep because the dispatcher reads its next batch of rows (up to
 * {@code delivery.batch-size}, tens of milliseconds) while the signers work: with a buffer of two small tasks a
 * thread they ran dry during every read (measured: 1.35 of 2 cores busy, half the machine's signing rate).
 */
final class SigningPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SigningPool.class);

    static final int WAITING_ROWS_PER_THREAD = 512;

    private final ExecutorService threads;
    private final Semaphore slots;

    SigningPool(int size) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "delivery-sign-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.slots = new Semaphore(size * WAITING_ROWS_PER_THREAD);
    }

    /** One thread per core the JVM may use. */
    static SigningPool perCore() {
        return new SigningPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Runs {@code task}, which signs {@code rows} rows, on a pool thread; waits while the pool is full. */
    void submit(int rows, Runnable task) throws InterruptedException {
        slots.acquire(rows);
        try {
            threads.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // prepare() turns each row's own failure into an outcome; this is the last resort, and the rows it
                    // held stay pending in the database (sent after the next restart).
                    log.error("delivery: making signed copies failed", e);
                } finally {
                    slots.release(rows);
                }
            });
        } catch (RuntimeException e) {
            slots.release(rows);
            throw e;
        }
    }

    /** Lets the tasks in hand finish (they stop queueing copies once delivery stops). */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
