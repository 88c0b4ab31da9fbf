package jp.kitamoto.lists.bench;

import java.io.BufferedInputStream;
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
 * the end-of-data line: it must not be the bottleneck (measured alone first, see {@link DeliveryBenchmark}).
 */
final class CountingSmtpSink implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicLong messages = new AtomicLong();
    private volatile long firstNanos;
    private volatile long lastNanos;
    private volatile boolean running = true;

    CountingSmtpSink() throws IOException {
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

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
             OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            reply(out, "220 sink ESMTP\r\n");
            byte[] line = new byte[8192];
            boolean data = false;
            while (true) {
                int n = readLine(in, line);
                if (n < 0) {
                    return;
                }
                if (data) {
                    if (n >= 1 && line[0] == '.' && (n == 1 || line[1] == '\r' || line[1] == '\n') && n <= 3) {
                        data = false;
                        long now = System.nanoTime();
                        if (messages.incrementAndGet() == 1) {
                            firstNanos = now;
                        }
                        lastNanos = now;
                        reply(out, "250 2.0.0 queued\r\n");
                    }
                    continue;
                }
                String cmd = new String(line, 0, Math.min(n, 4), StandardCharsets.US_ASCII).toUpperCase();
                switch (cmd) {
                    case "EHLO" -> reply(out, "250-sink\r\n250-8BITMIME\r\n250 PIPELINING\r\n");
                    case "DATA" -> {
                        data = true;
                        reply(out, "354 go\r\n");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye\r\n");
                        return;
                    }
                    default -> reply(out, "250 ok\r\n");
                }
            }
        } catch (IOException e) {
            // Client went away.
        }
    }

    private static int readLine(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (n < buf.length) {
                buf[n++] = (byte) b;
            }
            if (b == '\n') {
                return n;
            }
        }
        return n == 0 ? -1 : n;
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
