package jp.kitamoto.lists.mail.intake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A line-level SMTP client for the limit tests: it can stay silent, read a reply the server sends on its own
 * (a 421 at connect or on a timeout), tell whether the server closed the connection, and reset it abruptly.
 */
final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final String greeting;

    LineClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = reply();
    }

    String command(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The next (possibly multi-line) reply, lines joined with "\n"; null when the server has closed. */
    String reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            sb.append(sb.length() == 0 ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return sb.toString();
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** True when the server closed its side: the next read ends (or is reset) instead of timing out. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** MAIL, the recipients and DATA with the message; returns the reply to the final dot or the first refusal. */
    String send(String from, String to, String message) throws IOException {
        String r = command("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        r = command("RCPT TO:<" + to + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        r = command("DATA");
        if (!r.startsWith("354")) {
            return r;
        }
        write(message.replace("\r\n", "\n").replace("\n", "\r\n") + (message.endsWith("\n") ? "" : "\r\n") + ".\r\n");
        return reply();
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a scanner or a crashed client does. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
