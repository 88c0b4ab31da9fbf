package jp.kitamoto.lists.mail.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap the intake may spend on messages in hand: every message being received or stored holds a share of it,
 * five times its size (the bytes as they arrive, then, while it is stored before the 250, its parsed parts and the
 * decorated message as each MIME level is written out: a heap dump of a 9 MB multipart post showed four or five
 * arrays of its size alive at once). When the share is gone, a message is answered {@code 452 4.3.1} and its
 * sender's server keeps it and tries again later, as Postfix itself answers when its queue is full. Without this,
 * twenty senders of a 9 MB flyer at once ran the server out of heap (measured under run.sh's {@code -Xmx160m}): the
 * error could strike any thread, the delivery threads included.
 */
final class IntakeMemory {
    private static final Logger log = LoggerFactory.getLogger(IntakeMemory.class);
    /** Heap a message takes while it is received and stored, per byte of the message (measured, see above). */
    static final int BYTES_PER_MESSAGE_BYTE = 5;
    /** The automatic capacity: this share of the JVM's maximum heap. */
    private static final double HEAP_SHARE = 0.4;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    IntakeMemory(long capacity) {
        this.capacity = capacity;
    }

    /**
     * The capacity for {@code smtp.limits.max-buffered-bytes} ({@code 0}: 40 % of the heap), never less than one
     * message of the size limit needs, so that the largest message allowed always fits when it comes alone.
     */
    static IntakeMemory forSettings(long configured, long maxMessageBytes) {
        long one = needed(maxMessageBytes);
        long heap = Runtime.getRuntime().maxMemory();
        long wanted = configured > 0 ? configured : (long) (heap * HEAP_SHARE);
        if (wanted < one) {
            log.warn("smtp.limits.max-buffered-bytes: {} bytes cannot hold one message of smtp.max-message-bytes ({}),"
                    + " using {}; the heap ({} bytes) may be too small for that size limit", wanted, maxMessageBytes,
                    one, heap);
            wanted = one;
        }
        return new IntakeMemory(wanted);
    }

    /** What a message of this many bytes takes while it is in hand. */
    static long needed(long messageBytes) {
        return messageBytes * BYTES_PER_MESSAGE_BYTE;
    }

    /** Takes {@code bytes} of the capacity if they are free; false (and nothing taken) otherwise. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    /**
     * Memory held by one message (or reserved for it at MAIL FROM), given back all at once by {@link #run}; a
     * {@link Runnable} so that it can be a {@link java.lang.ref.Cleaner} action.
     */
    final class Share implements Runnable {
        private final AtomicLong bytes = new AtomicLong();

        /** Takes {@code n} more bytes for this share, if they are free. */
        boolean take(long n) {
            if (!tryTake(n)) {
                return false;
            }
            bytes.addAndGet(n);
            return true;
        }

        /** Moves what {@code other} holds into this share. */
        long absorb(Share other) {
            long n = other.bytes.getAndSet(0);
            bytes.addAndGet(n);
            return n;
        }

        @Override
        public void run() {
            give(bytes.getAndSet(0));
        }
    }

    Share share() {
        return new Share();
    }

    long used() {
        return used.get();
    }

    long capacity() {
        return capacity;
    }
}
