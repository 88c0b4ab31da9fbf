package jp.kitamoto.lists.mail.delivery;

import java.io.ByteArrayOutputStream;

/**
 * The two transformations RFC 5321 asks of message bytes on the wire: every line ends in CRLF (section 2.3.8), and a
 * line that begins with a dot gets one more (section 4.5.2, transparency). Done once per post on the shared bytes,
 * and on each copy's short personal header block, never on the body per recipient.
 */
public final class WireBytes {
    private WireBytes() {
    }

    /** Bare LF and bare CR become CRLF, and the bytes end with CRLF (the end-of-data dot needs a line of its own). */
    public static byte[] crlf(byte[] in) {
        if (isCrlf(in)) {
            return in;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 32 + 2);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        byte[] r = out.toByteArray();
        if (r.length > 0 && r[r.length - 1] != '\n') {
            ByteArrayOutputStream end = new ByteArrayOutputStream(r.length + 2);
            end.writeBytes(r);
            end.write('\r');
            end.write('\n');
            r = end.toByteArray();
        }
        return r;
    }

    private static boolean isCrlf(byte[] in) {
        if (in.length > 0 && (in.length < 2 || in[in.length - 2] != '\r' || in[in.length - 1] != '\n')) {
            return false;
        }
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && (i + 1 >= in.length || in[i + 1] != '\n')) {
                return false;
            }
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                return false;
            }
        }
        return true;
    }

    /** Doubles the dot that starts a line. Expects CRLF bytes ({@link #crlf}); returns {@code in} when none does. */
    public static byte[] dotStuff(byte[] in) {
        int dots = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '.' && (i == 0 || in[i - 1] == '\n')) {
                dots++;
            }
        }
        if (dots == 0) {
            return in;
        }
        byte[] out = new byte[in.length + dots];
        int o = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '.' && (i == 0 || in[i - 1] == '\n')) {
                out[o++] = '.';
            }
            out[o++] = in[i];
        }
        return out;
    }
}
