package jp.kitamoto.lists.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A smarthost that records the exact bytes of each DATA (dot-unstuffed, with the message's own final CRLF, which
 * GreenMail drops) and refuses chosen recipients at RCPT with a 5xx, which GreenMail cannot do.
 */
public final class RecordingSmtpSink implements AutoCloseable {
    /** One accepted message: envelope and the bytes exactly as the client sent them. */
    public record Received(String mailFrom, List<String> recipients, byte[] data) {
    }

    private final ServerSocket server;
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public RecordingSmtpSink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "recording-sink");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** RCPT TO this address is answered {@code 550 5.1.1}. */
    public void refuse(String address) {
        refused.add(address.toLowerCase(Locale.ROOT));
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** How many times RCPT to {@code address} was refused. */
    public int refusals(String address) {
        return refusals.getOrDefault(address.toLowerCase(Locale.ROOT), 0);
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "recording-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            reply(out, "220 sink ESMTP");
            String from = "";
            List<String> rcpts = new ArrayList<>();
            for (String line = line(in); line != null; line = line(in)) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink\r\n250 8BITMIME");
                    case "HELO", "NOOP" -> reply(out, "250 ok");
                    case "MAIL" -> {
                        from = path(line);
                        rcpts = new ArrayList<>();
                        reply(out, "250 ok");
                    }
                    case "RCPT" -> {
                        String to = path(line).toLowerCase(Locale.ROOT);
                        if (refused.contains(to)) {
                            refusals.merge(to, 1, Integer::sum);
                            reply(out, "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown");
                        } else {
                            rcpts.add(to);
                            reply(out, "250 ok");
                        }
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        received.add(new Received(from, List.copyOf(rcpts), data(in)));
                        reply(out, "250 2.0.0 queued");
                    }
                    case "RSET" -> {
                        rcpts = new ArrayList<>();
                        reply(out, "250 ok");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String path(String line) {
        int lt = line.indexOf('<');
        int gt = line.lastIndexOf('>');
        return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
    }

    /** The message up to the terminating "." line, dot-unstuffed; the CRLF before the dot belongs to the message. */
    private static byte[] data(InputStream in) throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                byte[] l = line.toByteArray();
                line.reset();
                if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                    return msg.toByteArray();
                }
                int skip = l.length > 1 && l[0] == '.' ? 1 : 0; // RFC 5321 4.5.2
                msg.write(l, skip, l.length - skip);
            }
        }
        throw new IOException("connection closed in DATA");
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
    }
}
