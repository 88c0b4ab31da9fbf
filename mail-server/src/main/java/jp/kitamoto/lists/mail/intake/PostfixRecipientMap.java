package jp.kitamoto.lists.mail.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A Postfix socketmap table (Postfix 2.10+, {@code socketmap(5)}) that answers which recipients are ours, so the
 * Postfix in front of us can refuse unknown addresses at its own RCPT:
 * <pre>relay_recipient_maps = socketmap:inet:127.0.0.1:2526:recipients</pre>
 *
 * <p>Why a socketmap and not a file Postfix reads: the answer is {@link Recipients}, the very check of our RCPT, so
 * it is current the moment a list is created or closed, with no file to rewrite and no {@code postfix reload}
 * (which our unprivileged server could not run), and it can tell a personal unsubscribe address with a known token
 * from a made-up one, which no static list of addresses can. If we are down, Postfix answers 451 4.3.0 and the
 * sender retries: nothing is accepted that we might have to bounce.
 *
 * <p>Protocol: requests and replies are netstrings ({@code 27:recipients bunka@ml.example,}); the reply is
 * {@code OK <value>} or {@code NOTFOUND }. Postfix keeps a connection open for many lookups. Postfix also looks up
 * {@code @domain} (the catch-all form): that is never ours.
 */
public final class PostfixRecipientMap implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostfixRecipientMap.class);
    /** Postfix itself limits socketmap requests to 100000 bytes; an address is far shorter. */
    private static final int MAX_REQUEST = 4096;

    private final Recipients recipients;
    private final ServerSocket server;
    private volatile boolean running = true;

    private PostfixRecipientMap(Recipients recipients, ServerSocket server) {
        this.recipients = recipients;
        this.server = server;
    }

    public static PostfixRecipientMap start(Recipients recipients, String host, int port) throws IOException {
        PostfixRecipientMap map = new PostfixRecipientMap(recipients,
                new ServerSocket(port, 50, InetAddress.getByName(host)));
        Thread acceptor = new Thread(map::acceptLoop, "postfix-recipient-map");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("Postfix recipient map (socketmap) on {}:{}", host, map.port());
        return map;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "postfix-recipient-map-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(300_000);
            String request;
            while ((request = readNetstring(in)) != null) {
                writeNetstring(out, answer(request));
            }
        } catch (IOException | IllegalArgumentException e) {
            // Postfix closes idle table connections itself; a malformed request just ends the connection.
            log.debug("recipient map connection ended: {}", e.getMessage());
        }
    }

    /** {@code "<map name> <address>"} → {@code OK ...} or {@code NOTFOUND }. */
    String answer(String request) {
        int space = request.indexOf(' ');
        String key = space < 0 ? "" : request.substring(space + 1);
        return recipients.check(key).accepted() ? "OK ours" : "NOTFOUND ";
    }

    private static String readNetstring(InputStream in) throws IOException {
        int length = 0;
        int digits = 0;
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0 && digits == 0) {
                return null;
            }
            if (c < '0' || c > '9' || ++digits > 5) {
                throw new IllegalArgumentException("not a netstring length");
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0 || length > MAX_REQUEST) {
            throw new IllegalArgumentException("bad netstring length " + length);
        }
        byte[] data = in.readNBytes(length);
        if (data.length != length || in.read() != ',') {
            throw new IllegalArgumentException("truncated netstring");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private static void writeNetstring(OutputStream out, String value) throws IOException {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length + 8);
        b.writeBytes((data.length + ":").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(data);
        b.write(',');
        out.write(b.toByteArray());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
    }
}
