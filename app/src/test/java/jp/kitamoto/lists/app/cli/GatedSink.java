package jp.kitamoto.lists.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A smarthost that only counts: the envelope recipients of every accepted copy, kept once each. After
 * {@link #pauseAfter} copies it holds its 250 until {@link #release()}, so that a test can look at (and back up) a
 * fan-out that is surely half done. Port 0, a thread per connection; it keeps no message bytes (10,000 copies).
 */
final class GatedSink implements AutoCloseable {
    private final ServerSocket server;
    private final Set<String> recipients = ConcurrentHashMap.newKeySet();
    private final AtomicLong copies = new AtomicLong();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final long pauseAfter;
    private volatile boolean running = true;

    GatedSink(long pauseAfter) throws IOException {
        this.pauseAfter = pauseAfter;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "gated-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Copies answered 250, counting the ones waiting at the gate. */
    long copiesArrived() {
        return copies.get();
    }

    Set<String> recipients() {
        return recipients;
    }

    void release() {
        gate.countDown();
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "gated-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1)); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 sink ESMTP");
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.toUpperCase(Locale.ROOT);
                if (cmd.startsWith("EHLO")) {
                    reply(out, "250-sink\r\n250 8BITMIME");
                } else if (cmd.startsWith("MAIL") || cmd.startsWith("RSET")) {
                    rcpts.clear();
                    reply(out, "250 2.0.0 OK");
                } else if (cmd.startsWith("RCPT")) {
                    rcpts.add(line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase(Locale.ROOT));
                    reply(out, "250 2.1.5 OK");
                } else if (cmd.equals("DATA")) {
                    reply(out, "354 go ahead");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the body is not kept
                    }
                    if (copies.incrementAndGet() > pauseAfter) {
                        gate.await();
                    }
                    recipients.addAll(rcpts);
                    reply(out, "250 2.0.0 queued");
                } else if (cmd.startsWith("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 OK");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test ended
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        running = false;
        release();
        server.close();
    }
}
