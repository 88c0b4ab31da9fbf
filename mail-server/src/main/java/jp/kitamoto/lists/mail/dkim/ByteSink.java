package jp.kitamoto.lists.mail.dkim;

import java.util.Arrays;

/**
 * A growable byte buffer that is reused (reset, not reallocated): a ByteArrayOutputStream without its locks and its
 * copy on every read. For the body canonicalisation's line and each signing thread's signed data.
 */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    void write(byte b) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = b;
    }

    void write(byte[] b) {
        if (size + b.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
        }
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The backing array: valid up to {@link #size()}, until the next write. */
    byte[] buffer() {
        return buf;
    }
}
