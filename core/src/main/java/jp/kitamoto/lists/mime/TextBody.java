package jp.kitamoto.lists.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.Optional;

/** Reads and rewrites the text of a single text part, through its transfer encoding and charset. */
public final class TextBody {
    private TextBody() {
    }

    /**
     * The charset the part is decoded with: its label if usable, else detected. The body is read only when the
     * label alone cannot decide (no label, US-ASCII, or a 7-bit label that the bytes may contradict).
     */
    public static Charset charsetOf(MimeEntity part) {
        String label = part.charset().orElse(null);
        Optional<Charset> named = Charsets.usableLabel(label);
        if (named.isPresent() && !named.get().equals(Charsets.ISO_2022_JP_MS)) {
            return named.get();
        }
        return Charsets.forText(label, decodedBytes(part));
    }

    /** Whether the part's charset label is contradicted by its bytes or missing, so that {@link #charsetOf} detected it. */
    public static boolean labelIsUnusable(MimeEntity part) {
        return Charsets.usableLabel(part.charset().orElse(null), decodedBytes(part)).isEmpty();
    }

    /** The body bytes after undoing base64 or quoted-printable. */
    public static byte[] decodedBytes(MimeEntity part) {
        String cte = part.transferEncoding();
        byte[] body = part.body();
        if (!cte.equals("base64") && !cte.equals("quoted-printable")) {
            return body;
        }
        try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(body), cte)) {
            return in.readAllBytes();
        } catch (IOException | MessagingException e) {
            return body;
        }
    }

    public static String decode(MimeEntity part) {
        byte[] bytes = decodedBytes(part);
        return new String(bytes, Charsets.forText(part.charset().orElse(null), bytes));
    }

    /** Whether every character of {@code text} can be written in {@code charset}. */
    public static boolean canEncode(String text, Charset charset) {
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            encoder.encode(CharBuffer.wrap(text));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Replaces the text of the part, encoded in {@code charset} with the part's own transfer encoding (base64 stays
     * base64, quoted-printable stays quoted-printable; 7bit becomes 8bit when the new bytes need it).
     */
    public static void encode(MimeEntity part, String text, Charset charset) {
        byte[] bytes;
        try {
            ByteBuffer buf = charset.newEncoder().onUnmappableCharacter(CodingErrorAction.REPORT)
                    .onMalformedInput(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            bytes = new byte[buf.remaining()];
            buf.get(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text does not fit " + charset, e);
        }
        String cte = part.transferEncoding();
        if (cte.equals("base64") || cte.equals("quoted-printable")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4 / 3 + 100);
            try (OutputStream enc = MimeUtility.encode(out, cte)) {
                enc.write(bytes);
            } catch (IOException | MessagingException e) {
                throw new IllegalStateException(e);
            }
            byte[] encoded = out.toByteArray();
            part.setBody(endWithNewline(encoded));
            return;
        }
        boolean eightBit = false;
        for (byte b : bytes) {
            if (b < 0) {
                eightBit = true;
                break;
            }
        }
        if (eightBit && cte.equals("7bit")) {
            part.setHeader(HeaderField.of("Content-Transfer-Encoding", "8bit"));
        }
        part.setBody(bytes);
    }

    private static byte[] endWithNewline(byte[] b) {
        if (b.length > 0 && b[b.length - 1] == '\n') {
            return b;
        }
        byte[] out = new byte[b.length + 2];
        System.arraycopy(b, 0, out, 0, b.length);
        out[b.length] = '\r';
        out[b.length + 1] = '\n';
        return out;
    }
}
