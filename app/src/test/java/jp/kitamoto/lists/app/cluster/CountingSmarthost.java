package jp.kitamoto.lists.app.cluster;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A smarthost that accepts everything and only remembers who got a copy and when: light enough for 10,000 copies
 * from two nodes. It offers PIPELINING (it reads commands one after another and writes its replies before it would
 * wait for more input, as RFC 2920 asks of a server), so the nodes' clients run as they do against Postfix. Port 0,
 * a thread per connection; for tests only. With {@code chunking} it also offers CHUNKING (RFC 3030) and takes BDAT,
 * as Postfix does.
 */
public final class CountingSmarthost implements AutoCloseable {
    /** One accepted copy: its envelope recipient, when its end-of-data arrived, and its size in octets. */
    public record Arrival(String recipient, long atMillis, long octets) {
    }

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private final boolean chunking;

    public CountingSmarthost() throws IOException {
        this(false);
    }

    public CountingSmarthost(boolean chunking) throws IOException {
        this.chunking = chunking;
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "counting-smarthost");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "counting-smarthost-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
             OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192)) {
            reply(out, "220 counting.test ESMTP");
            String rcpt = null;
            long chunked = 0; // octets of the BDAT chunks of the transaction so far
            while (true) {
                String line = readLine(in, out);
                if (line == null) {
                    return;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> reply(out, "250-counting.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                            + (chunking ? "250-CHUNKING\r\n" : "") + "250 SIZE 52428800");
                    case "BDAT" -> {
                        if (!chunking) {
                            reply(out, "502 5.5.1 Error: command not implemented");
                            continue;
                        }
                        String[] words = line.trim().split(" ");
                        int octets = Integer.parseInt(words[1]);
                        if (in.readNBytes(octets).length < octets) {
                            return; // cut off inside the chunk: no copy
                        }
                        chunked += octets;
                        if (words.length > 2 && words[2].equalsIgnoreCase("LAST")) {
                            arrivals.add(new Arrival(rcpt, System.currentTimeMillis(), chunked));
                            chunked = 0;
                            reply(out, "250 2.0.0 Ok: queued");
                        } else {
                            reply(out, "250 2.0.0 Ok: " + octets + " octets");
                        }
                    }
                    case "MAIL", "RSET" -> {
                        rcpt = null;
                        chunked = 0;
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "RCPT" -> {
                        int lt = line.indexOf('<');
                        int gt = line.lastIndexOf('>');
                        rcpt = lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
                        reply(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        String l;
                        long octets = 0;
                        while ((l = readLine(in, out)) != null && !l.equals(".")) {
                            // Content is not kept: only who got a copy, and its size (unstuffed, with CRLF).
                            octets += (l.startsWith(".") ? l.length() - 1 : l.length()) + 2;
                        }
                        if (l == null) {
                            return; // cut off before the end of data: no copy
                        }
                        arrivals.add(new Arrival(rcpt, System.currentTimeMillis(), octets));
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        out.flush();
                        return;
                    }
                    default -> reply(out, "250 2.0.0 Ok");
                }
            }
        } catch (IOException e) {
            // The client went away (or was killed).
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A line without its CRLF, or null at end of stream; replies written so far leave before it waits for input. */
    private static String readLine(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            if (in.available() == 0) {
                out.flush();
            }
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
    }
}
