package jp.kitamoto.lists.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The smarthost of the benchmark: a minimal SMTP server that answers 250 to everything, counts the messages and
 * remembers when the first and the last arrived. A thread per connection, no parsing beyond the command verb and
 * the end-of-data line: it must not be the bottleneck (a reference client measures it in the same run, see
 * {@link DeliveryBenchmark}). It offers CHUNKING (RFC 3030) as Postfix does, and takes BDAT. Variants: without
 * CHUNKING (the DATA path), without PIPELINING and CHUNKING (the lock-step fallback of the server's client), and
 * slow (every answer written {@code replyDelayMs} after the input it answers: a smarthost far away or busy).
 */
final class CountingSmtpSink implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicLong messages = new AtomicLong();
    private volatile long firstNanos;
    private volatile long lastNanos;
    /** With -DsinkTimeline=true: copies per 100 ms since the first, printed by {@link #timeline} (diagnosis). */
    private static final java.util.concurrent.atomic.AtomicIntegerArray TIMELINE =
            Boolean.getBoolean("sinkTimeline") ? new java.util.concurrent.atomic.AtomicIntegerArray(6000) : null;

    /** The copies of each 100 ms since the first of the last run, or "" without -DsinkTimeline=true. */
    static String timeline() {
        if (TIMELINE == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("copies per 100 ms:");
        int last = TIMELINE.length() - 1;
        while (last > 0 && TIMELINE.get(last) == 0) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            out.append(' ').append(TIMELINE.getAndSet(i, 0));
        }
        return out.toString();
    }

    /** The count a waiter of {@link #awaitMessages} waits for. */
    private volatile long awaited = -1;
    private volatile boolean running = true;
    private final boolean pipelining;
    private final boolean chunking;
    private final int replyDelayMs;

    CountingSmtpSink() throws IOException {
        this(true, true, 0);
    }

    CountingSmtpSink(boolean pipelining, boolean chunking, int replyDelayMs) throws IOException {
        this.pipelining = pipelining;
        this.chunking = chunking && pipelining;
        this.replyDelayMs = replyDelayMs;
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    long messages() {
        return messages.get();
    }

    long firstNanos() {
        return firstNanos;
    }

    long lastNanos() {
        return lastNanos;
    }

    void reset() {
        messages.set(0);
        firstNanos = 0;
        lastNanos = 0;
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Reads in 64 KB chunks and scans for line ends itself: reading byte by byte through a stream costs more CPU per
     * message than the server spends, and the sink shares the two cores with it.
     */
    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            reply(out, "220 sink ESMTP\r\n");
            byte[] buf = new byte[65536];
            byte[] line = new byte[1024];
            int lineLen = 0;
            boolean data = false;
            long chunkLeft = 0; // octets of a BDAT chunk still to read
            boolean lastChunk = false;
            String ehlo = chunking ? "250-sink\r\n250-8BITMIME\r\n250-CHUNKING\r\n250 PIPELINING\r\n"
                    : pipelining ? "250-sink\r\n250-8BITMIME\r\n250 PIPELINING\r\n" : "250-sink\r\n250 8BITMIME\r\n";
            int n;
            while ((n = in.read(buf)) > 0) {
                StringBuilder replies = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    if (chunkLeft > 0) {
                        int take = (int) Math.min(chunkLeft, n - i);
                        chunkLeft -= take;
                        i += take - 1;
                        if (chunkLeft == 0) {
                            if (lastChunk) {
                                counted();
                                replies.append("250 2.0.0 queued\r\n");
                            } else {
                                replies.append("250 2.0.0 chunk\r\n");
                            }
                        }
                        continue;
                    }
                    byte b = buf[i];
                    if (lineLen < line.length) {
                        line[lineLen] = b;
                    }
                    lineLen++;
                    if (b != '\n') {
                        continue;
                    }
                    if (data) {
                        if (lineLen == 3 && line[0] == '.' && line[1] == '\r') {
                            data = false;
                            counted();
                            replies.append("250 2.0.0 queued\r\n");
                        }
                    } else {
                        String cmd = new String(line, 0, Math.min(4, lineLen), StandardCharsets.US_ASCII).toUpperCase();
                        switch (cmd) {
                            case "EHLO" -> replies.append(ehlo);
                            case "BDAT" -> {
                                // "BDAT <octets>[ LAST]": the octets follow the line, answered once read.
                                String[] words = new String(line, 0, Math.min(lineLen, line.length), StandardCharsets.US_ASCII)
                                        .trim().split(" ");
                                chunkLeft = Long.parseLong(words[1]);
                                lastChunk = words.length > 2 && words[2].equalsIgnoreCase("LAST");
                                if (chunkLeft == 0) {
                                    if (lastChunk) {
                                        counted();
                                    }
                                    replies.append("250 2.0.0 queued\r\n");
                                }
                            }
                            case "DATA" -> {
                                data = true;
                                replies.append("354 go\r\n");
                            }
                            case "QUIT" -> {
                                reply(out, replies.append("221 bye\r\n").toString());
                                return;
                            }
                            default -> replies.append("250 ok\r\n");
                        }
                    }
                    lineLen = 0;
                }
                if (replies.length() > 0) {
                    if (replyDelayMs > 0) {
                        // One delay per read: what arrived together (a pipelined group) is answered together.
                        try {
                            Thread.sleep(replyDelayMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    reply(out, replies.toString());
                }
            }
        } catch (IOException e) {
            // Client went away.
        }
    }

    private void counted() {
        long now = System.nanoTime();
        long count = messages.incrementAndGet();
        if (count == 1) {
            firstNanos = now;
        }
        lastNanos = now;
        if (TIMELINE != null) {
            int slot = (int) Math.min(TIMELINE.length() - 1, (now - firstNanos) / 100_000_000L);
            TIMELINE.incrementAndGet(slot);
        }
        if (count == awaited) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Waits until {@code n} messages have arrived or {@code millis} have passed; true if they have. The sink wakes
     * the waiter once, when the n-th arrives: a waiter that looked every 0.2 ms woke 5,000 times a second and, on
     * two cores, took turns from the signing threads of the server it measured.
     */
    synchronized boolean awaitMessages(long n, long millis) throws InterruptedException {
        awaited = n;
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (messages.get() < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private static void reply(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
    }
}
