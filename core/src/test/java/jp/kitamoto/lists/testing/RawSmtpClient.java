package jp.kitamoto.lists.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain SMTP client over a real socket that shows every reply line, so tests can assert exact reply codes and
 * enhanced status codes (a library client would hide them behind exceptions).
 */
public final class RawSmtpClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final String greeting;

    public RawSmtpClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = reply();
    }

    public String greeting() {
        return greeting;
    }

    /** Sends one command line and returns the whole (possibly multi-line) reply, lines joined with "\n". */
    public String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** Sends DATA, the message (dot-stuffed here) and the final dot; returns the reply to the final dot. */
    public String data(byte[] message) throws IOException {
        String go = command("DATA");
        if (!go.startsWith("354")) {
            return go;
        }
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        StringBuilder stuffed = new StringBuilder();
        for (String l : text.split("\r\n", -1)) {
            stuffed.append(l.startsWith(".") ? "." + l : l).append("\r\n");
        }
        if (text.endsWith("\r\n")) {
            stuffed.setLength(stuffed.length() - 2);
        }
        out.write(stuffed.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(".\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** The usual EHLO, MAIL, RCPT..., DATA sequence; returns the reply to the final dot (or the first refusal). */
    public String send(String from, String[] recipients, byte[] message) throws IOException {
        String r = command("EHLO client.example.jp");
        if (!r.startsWith("250")) {
            return r;
        }
        r = command("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) {
            return r;
        }
        for (String rcpt : recipients) {
            r = command("RCPT TO:<" + rcpt + ">");
            if (!r.startsWith("250")) {
                return r;
            }
        }
        return data(message);
    }

    private String reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            sb.append(sb.length() == 0 ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // The server may already have closed the connection.
        }
        socket.close();
    }
}
