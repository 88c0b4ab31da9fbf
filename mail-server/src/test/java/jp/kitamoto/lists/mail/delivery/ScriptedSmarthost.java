package jp.kitamoto.lists.mail.delivery;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A smarthost whose answers a test scripts: a real socket on port 0, a thread per connection, reading commands line
 * by line. By default it says 250 to everything and offers PIPELINING; {@link Script} changes single answers, and
 * the switches below change the dialogue (no PIPELINING, answers written byte by byte, STARTTLS, SIZE, ...).
 */
final class ScriptedSmarthost implements AutoCloseable {
    /** An answer to one command, or null for the default. {@code transaction} counts MAILs on this connection. */
    interface Script {
        Reply answer(int connection, int transaction, String command);
    }

    /** {@code close}: close the connection right after writing the text (421); null text: close silently. */
    record Reply(String text, boolean close) {
        static Reply of(String text) {
            return new Reply(text, false);
        }

        static Reply closing(String text) {
            return new Reply(text, true);
        }
    }

    record Message(int connection, String from, List<String> recipients, String data, boolean tls) {
    }

    volatile boolean pipelining = true;
    /** Offers CHUNKING (RFC 3030) and takes BDAT. */
    volatile boolean chunking;
    /**
     * After a refused BDAT, answers 503 to everything but RSET, NOOP and QUIT until an RSET (the "indeterminate"
     * state RFC 3030 section 4.2 allows), still reading each BDAT's octets.
     */
    volatile boolean stuckAfterRefusedChunk;
    /** Holds every answer until this many BDAT commands have arrived on the connection (0: answer at once). */
    volatile int answerAfterChunks;
    volatile boolean starttls;
    volatile long size = -1;
    /** Writes every reply one byte per flush: the client must reassemble replies from pieces. */
    volatile boolean inPieces;
    /** Holds the answers to MAIL and RCPT until DATA (or BDAT) has arrived: only a pipelining client gets anywhere. */
    volatile boolean answerEnvelopeAfterData;
    volatile Script script = (c, t, cmd) -> null;

    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Commands that arrived while an answer was still owed (a client that does not wait, where it must). */
    final List<String> earlyCommands = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();

    private final ServerSocket server;
    private final SSLContext tls;
    private volatile boolean running = true;

    ScriptedSmarthost() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = ScriptedSmarthost.class.getResourceAsStream("/tls/smarthost.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        Thread t = new Thread(this::acceptLoop, "scripted-smarthost");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> recipients() {
        return messages.stream().flatMap(m -> m.recipients().stream()).toList();
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                int n = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s, n), "scripted-smarthost-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int conn) {
        Socket s = socket;
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            send(out, "220 scripted.test ESMTP");
            boolean secure = false;
            int transaction = 0;
            String from = null;
            List<String> rcpts = new ArrayList<>();
            List<String> owed = new ArrayList<>();
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            boolean stuck = false;
            int bdats = 0;
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                if (!answerEnvelopeAfterData && in.available() > 0 && !pipelining) {
                    earlyCommands.add(line);
                }
                commands.add(line);
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                if (verb.equals("MAIL")) {
                    transaction++;
                }
                byte[] chunk = null;
                if (verb.equals("BDAT")) {
                    // The octets follow whatever the answer will be (RFC 3030 2: a refused chunk is read and dropped).
                    chunk = in.readNBytes(Integer.parseInt(line.split(" ")[1]));
                    bdats++;
                }
                boolean last = chunk != null && line.toUpperCase(Locale.ROOT).endsWith(" LAST");
                if (stuck && !verb.equals("RSET") && !verb.equals("NOOP") && !verb.equals("QUIT")) {
                    owed.add("503 5.5.1 Error: bad sequence of commands");
                    flush(out, owed);
                    continue;
                }
                Reply scripted = script.answer(conn, transaction, line);
                if (scripted != null) {
                    if (scripted.text() != null) {
                        owed.add(scripted.text());
                        flush(out, owed);
                    }
                    if (scripted.close() && scripted.text() != null) {
                        // A server that says 421 and closes, as Postfix does: its replies so far must reach the
                        // client. Closing with the client's pipelined commands unread would send a TCP reset, and
                        // a reset can discard replies the client has not read yet (a race the tests must not have).
                        s.shutdownOutput();
                        s.setSoTimeout(5000);
                        in.transferTo(OutputStream.nullOutputStream());
                        return;
                    }
                    if (scripted.close() || scripted.text() == null) {
                        return;
                    }
                    if (verb.equals("DATA") && scripted.text().startsWith("354")) {
                        readData(in, out, conn, transaction, from, rcpts, secure);
                    }
                    if (chunk != null) {
                        chunks.writeBytes(chunk);
                        if (last && scripted.text().startsWith("2")) {
                            messages.add(new Message(conn, from, List.copyOf(rcpts), chunks.toString(StandardCharsets.UTF_8), secure));
                        }
                        if (last || !scripted.text().startsWith("2")) {
                            stuck = stuckAfterRefusedChunk && !scripted.text().startsWith("2");
                            from = null;
                            rcpts = new ArrayList<>();
                            chunks.reset();
                        }
                    }
                    continue;
                }
                switch (verb) {
                    case "EHLO" -> {
                        StringBuilder r = new StringBuilder("250-scripted.test");
                        if (pipelining) {
                            r.append("\r\n250-PIPELINING");
                        }
                        if (size >= 0) {
                            r.append("\r\n250-SIZE ").append(size);
                        }
                        if (starttls && !secure) {
                            r.append("\r\n250-STARTTLS");
                        }
                        if (chunking) {
                            r.append("\r\n250-CHUNKING");
                        }
                        send(out, r.append("\r\n250 8BITMIME").toString());
                    }
                    case "HELO", "RSET", "NOOP" -> {
                        from = null;
                        rcpts.clear();
                        chunks.reset();
                        stuck = false;
                        owed.add("250 2.0.0 Ok");
                    }
                    case "BDAT" -> {
                        chunks.writeBytes(chunk);
                        if (from == null) {
                            owed.add("503 5.5.1 Error: need MAIL command");
                        } else if (rcpts.isEmpty()) {
                            owed.add("554 5.5.1 Error: no valid recipients");
                            stuck = stuckAfterRefusedChunk;
                        } else if (last) {
                            messages.add(new Message(conn, from, List.copyOf(rcpts), chunks.toString(StandardCharsets.UTF_8), secure));
                            owed.add("250 2.0.0 Ok: queued");
                        } else {
                            owed.add("250 2.0.0 Ok: " + chunk.length + " octets");
                            continue;
                        }
                        from = null;
                        rcpts = new ArrayList<>();
                        chunks.reset();
                    }
                    case "STAR" -> {
                        send(out, "220 2.0.0 Ready to start TLS");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", s.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        s = ssl;
                        in = new BufferedInputStream(ssl.getInputStream());
                        out = ssl.getOutputStream();
                        secure = true;
                    }
                    case "MAIL" -> {
                        from = path(line);
                        rcpts.clear();
                        owed.add("250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        rcpts.add(path(line));
                        owed.add("250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        if (rcpts.isEmpty()) {
                            owed.add("554 5.5.1 Error: no valid recipients");
                            flush(out, owed);
                            continue;
                        }
                        owed.add("354 End data with <CR><LF>.<CR><LF>");
                        flush(out, owed);
                        readData(in, out, conn, transaction, from, rcpts, secure);
                        from = null;
                        rcpts = new ArrayList<>();
                    }
                    case "QUIT" -> {
                        owed.add("221 2.0.0 Bye");
                        flush(out, owed);
                        return;
                    }
                    default -> send(out, "502 5.5.2 Error: command not recognized");
                }
                if ((!answerEnvelopeAfterData || verb.equals("BDAT")) && bdats >= answerAfterChunks) {
                    flush(out, owed);
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void readData(InputStream in, OutputStream out, int conn, int transaction, String from, List<String> rcpts,
                          boolean secure)
            throws IOException {
        StringBuilder data = new StringBuilder();
        while (true) {
            String l = readLine(in);
            if (l == null) {
                throw new IOException("eof in data");
            }
            if (l.equals(".")) {
                break;
            }
            data.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
        }
        Reply scripted = script.answer(conn, transaction, ".");
        if (scripted != null) {
            if (scripted.text() != null) {
                send(out, scripted.text());
            }
            if (scripted.close() || scripted.text() == null) {
                throw new IOException("scripted close");
            }
            if (!scripted.text().startsWith("2")) {
                return;
            }
        } else {
            send(out, "250 2.0.0 Ok: queued");
        }
        messages.add(new Message(conn, from, List.copyOf(rcpts), data.toString(), secure));
    }

    private void flush(OutputStream out, List<String> owed) throws IOException {
        for (String r : owed) {
            send(out, r);
        }
        owed.clear();
    }

    private void send(OutputStream out, String reply) throws IOException {
        byte[] b = (reply + "\r\n").getBytes(StandardCharsets.US_ASCII);
        if (inPieces) {
            for (byte x : b) {
                out.write(x);
                out.flush();
            }
        } else {
            out.write(b);
            out.flush();
        }
    }

    private static String path(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>', lt + 1);
        return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int len = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
    }
}
