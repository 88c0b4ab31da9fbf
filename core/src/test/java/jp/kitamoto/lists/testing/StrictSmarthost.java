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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A smarthost as strict as real ones are: it answers {@code 500 5.5.2 Line too long} at the end of DATA when a line
 * is longer than 998 octets or holds a NUL (as Exim and many provider relays do), refuses the recipients it is told
 * to with {@code 550 5.1.1}, and keeps every accepted copy exactly as it came off the wire (dot-unstuffed, with its
 * final CRLF, unlike GreenMail). Port 0, a thread per connection; for tests only.
 */
public final class StrictSmarthost implements AutoCloseable {
    /** One accepted copy: envelope and the message bytes as sent. */
    public record Copy(String envelopeFrom, List<String> recipients, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final Set<String> refusedRecipients = ConcurrentHashMap.newKeySet();
    /** When set, every other RCPT gets this reply ({@code %s} is the address): a misconfigured relay. */
    private volatile String refuseEveryoneWith;
    private final List<Copy> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private final boolean eightBitMime;

    public StrictSmarthost() throws IOException {
        this(true);
    }

    /**
     * {@code eightBitMime} false: EHLO does not announce 8BITMIME, like an old server, so a client that converts
     * 8-bit mail for such servers (Postfix by default) shows it here.
     */
    public StrictSmarthost(boolean eightBitMime) throws IOException {
        this.eightBitMime = eightBitMime;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "strict-smarthost");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** RCPT TO this address gets 550 5.1.1 from now on. */
    public void refuse(String address) {
        refusedRecipients.add(address.toLowerCase(Locale.ROOT));
    }

    /**
     * From now on, every RCPT not refused by {@link #refuse} gets this 5xx reply, {@code %s} standing for the address
     * (e.g. {@code "554 5.7.1 <%s>: Relay access denied"}, a relay restriction gone wrong); null takes them again.
     */
    public void refuseEveryone(String replyFormat) {
        refuseEveryoneWith = replyFormat;
    }

    /** Takes this address again (the far side fixed). */
    public void allow(String address) {
        refusedRecipients.remove(address.toLowerCase(Locale.ROOT));
    }

    public List<Copy> accepted() {
        return List.copyOf(accepted);
    }

    public List<Copy> acceptedFor(String recipient) {
        return accepted.stream().filter(c -> c.recipients().stream().anyMatch(r -> r.equalsIgnoreCase(recipient)))
                .toList();
    }

    /** How many times RCPT TO this address was refused. */
    public int refusalsOf(String address) {
        return (int) refusals.stream().filter(r -> r.contains("<" + address + ">")).count();
    }

    /** Every refusal answered so far (the reply lines). */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "strict-smarthost-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 strict.test ESMTP");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            while (true) {
                byte[] lineBytes = readLine(in);
                if (lineBytes == null) {
                    return;
                }
                String line = new String(lineBytes, StandardCharsets.ISO_8859_1).trim();
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> reply(out, "250-strict.test\r\n" + (eightBitMime ? "250-8BITMIME\r\n" : "")
                            + "250 SIZE 52428800");
                    case "HELO" -> reply(out, "250 strict.test");
                    case "MAIL" -> {
                        from = path(line);
                        rcpts.clear();
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        String to = path(line);
                        if (refusedRecipients.contains(to.toLowerCase(Locale.ROOT))) {
                            String r = "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown";
                            refusals.add(r);
                            reply(out, r);
                        } else {
                            String everyone = refuseEveryoneWith;
                            if (everyone != null) {
                                String r = String.format(everyone, to);
                                refusals.add(r);
                                reply(out, r);
                                continue;
                            }
                            rcpts.add(to);
                            reply(out, "250 2.1.5 Ok");
                        }
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        ByteArrayOutputStream data = new ByteArrayOutputStream();
                        boolean tooLong = false;
                        while (true) {
                            byte[] l = readLine(in);
                            if (l == null) {
                                return;
                            }
                            if (l.length == 3 && l[0] == '.' && l[1] == '\r' && l[2] == '\n') {
                                break;
                            }
                            int start = l.length > 0 && l[0] == '.' ? 1 : 0;
                            int content = l.length - start - (l.length >= 2 && l[l.length - 2] == '\r' ? 2 : 1);
                            tooLong |= content > 998;
                            for (int i = start; i < l.length; i++) {
                                tooLong |= l[i] == 0;
                            }
                            data.write(l, start, l.length - start);
                        }
                        if (tooLong) {
                            String r = "500 5.5.2 Line too long";
                            refusals.add(r);
                            reply(out, r);
                        } else {
                            accepted.add(new Copy(from, List.copyOf(rcpts), data.toByteArray()));
                            reply(out, "250 2.0.0 Ok: queued");
                        }
                    }
                    case "RSET" -> {
                        from = null;
                        rcpts.clear();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to keep.
        }
    }

    private static String path(String line) {
        int lt = line.indexOf('<');
        int gt = line.lastIndexOf('>');
        return lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : "";
    }

    /** One line with its terminator, or null at end of stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
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
