package jp.kitamoto.lists.mail.dkim;

import java.security.MessageDigest;

/**
 * RFC 6376 section 3.4.2 and 3.4.4: the "relaxed" canonicalisation of header fields and of the body, on bytes.
 *
 * <p>Line ends are taken as the SMTP client will write them: our sender (Angus's {@code SMTPOutputStream}) turns a
 * bare CR or a bare LF into CRLF on the wire, so a bare CR or LF ends a line here too. Otherwise a stored copy with
 * LF line ends would be signed over different bytes than the receiver sees.
 */
public final class RelaxedCanonicalization {
    private static final byte[] CRLF = {'\r', '\n'};

    private RelaxedCanonicalization() {
    }

    /**
     * One header field (name, colon, value, any folding and line end) in relaxed form, without the final CRLF:
     * name lower-cased, folding removed, runs of spaces and tabs as one space, none around the colon or at the end.
     * Bytes above 127 (unencoded 8-bit text from old phones) pass unchanged, as every verifier treats them.
     */
    public static byte[] header(byte[] field) {
        int colon = 0;
        while (colon < field.length && field[colon] != ':') {
            colon++;
        }
        // The relaxed form is never longer than the field (plus the colon, when a field has none): written straight
        // into one array, as this runs for each copy's personal fields on the signing threads.
        byte[] out = new byte[field.length + 1];
        int size = 0;
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(field[nameEnd - 1])) {
            nameEnd--;
        }
        for (int i = 0; i < nameEnd; i++) {
            byte b = field[i];
            out[size++] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
        }
        out[size++] = ':';
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < field.length; i++) {
            byte b = field[i];
            if (b == '\r' || b == '\n') {
                continue; // unfolding: CRLF followed by WSP is just the WSP
            }
            if (isWsp(b)) {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out[size++] = ' ';
                pendingSpace = false;
            }
            out[size++] = b;
            started = true;
        }
        return java.util.Arrays.copyOf(out, size);
    }

    /**
     * Feeds the relaxed form of a body ({@code bytes[from..to)}) to {@code digest}: spaces and tabs at a line end
     * removed, other runs of them as one space, empty lines at the end removed, and a final CRLF if anything is left.
     */
    public static void body(byte[] bytes, int from, int to, MessageDigest digest) {
        ByteSink line = new ByteSink(256);
        int emptyLines = 0;
        int i = from;
        while (i < to) {
            line.reset();
            boolean pendingSpace = false;
            while (i < to && bytes[i] != '\r' && bytes[i] != '\n') {
                byte b = bytes[i++];
                if (isWsp(b)) {
                    pendingSpace = true;
                } else {
                    if (pendingSpace) {
                        line.write((byte) ' ');
                        pendingSpace = false;
                    }
                    line.write(b);
                }
            }
            boolean terminated = i < to;
            if (i < to && bytes[i] == '\r') {
                i++;
                if (i < to && bytes[i] == '\n') {
                    i++;
                }
            } else if (i < to) {
                i++;
            }
            if (line.size() == 0) {
                if (terminated) {
                    emptyLines++;
                }
                continue;
            }
            for (; emptyLines > 0; emptyLines--) {
                digest.update(CRLF);
            }
            digest.update(line.buffer(), 0, line.size());
            digest.update(CRLF); // a last line without its CRLF gets one: RFC 6376 3.4.4, and the wire has one too
        }
    }

    private static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }
}
