package jp.kitamoto.lists.mail.pipeline;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.MimeEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Makes every copy legal on the wire, whatever the author's mailer sent. RFC 5322 section 2.1.1 allows 998 octets a
 * line; a smarthost refuses longer lines ({@code 500 Line too long}) or, like Postfix in front of a receiver, cuts
 * them and damages the text. NUL bytes and bare CRs are refused or mangled the same way. A part with any of these
 * is re-encoded before distribution, keeping its charset and every character:
 * <ul>
 * <li>text that is pure ASCII becomes quoted-printable (still readable in the raw copy);</li>
 * <li>other text (8-bit, or ISO-2022-JP escapes) and every non-text part become base64, which never cuts a
 *     character because it encodes the bytes, not the lines.</li>
 * </ul>
 * Text parts whose only fault is bare LF line ends (Unix mailers) are given CRLF line ends and keep their encoding.
 * Parts already in base64 or quoted-printable are safe by construction. Signed or encrypted parts are never touched
 * (a changed byte breaks the signature); a log line says when one of them is not legal on the wire. Runs last.
 */
public final class WireSafetyStep implements PipelineStep {
    private static final Logger log = LoggerFactory.getLogger(WireSafetyStep.class);
    static final int MAX_LINE_OCTETS = 998;

    @Override
    public void apply(PostDraft draft) {
        makeSafe(draft.message(), draft.message().rawValue("Message-ID").orElse("(no Message-ID)"));
    }

    static void makeSafe(MimeEntity part, String messageId) {
        if (part.isSealed()) {
            if (Faults.of(part.body()).needsReencoding()) {
                log.warn("{}: a signed or encrypted part has lines over {} octets or NUL bytes; left as it is, "
                        + "and a smarthost may refuse it", messageId, MAX_LINE_OCTETS);
            }
            return;
        }
        if (part.isMultipart()) {
            for (MimeEntity child : part.parts()) {
                makeSafe(child, messageId);
            }
            return;
        }
        String cte = part.transferEncoding();
        byte[] body = part.body();
        Faults faults = Faults.of(body);
        boolean text = part.mimeType().startsWith("text/");
        if ((cte.equals("base64") || cte.equals("quoted-printable")) && faults.needsReencoding()) {
            // Encoded, yet not legal (a broken mailer, or damage on the way): encode what a reader would decode.
            body = jp.kitamoto.lists.mime.TextBody.decodedBytes(part);
            faults = Faults.of(body);
            String encoding = text && !faults.eightBit && !faults.escape ? "quoted-printable" : "base64";
            part.setHeader(HeaderField.of("Content-Transfer-Encoding", encoding));
            part.setBody(encode(text ? crlfLineEnds(body) : body, encoding));
            log.info("{}: a {} part in {} had lines over {} octets; re-encoded as {}", messageId, part.mimeType(),
                    cte, MAX_LINE_OCTETS, encoding);
            return;
        }
        if (cte.equals("base64") || cte.equals("quoted-printable")) {
            return;
        }
        if (faults.needsReencoding()) {
            boolean asciiText = text && !faults.eightBit && !faults.escape;
            String encoding = asciiText ? "quoted-printable" : "base64";
            part.setHeader(HeaderField.of("Content-Transfer-Encoding", encoding));
            part.setBody(encode(text ? crlfLineEnds(body) : body, encoding));
            log.info("{}: a {} part had {}; re-encoded as {}", messageId, part.mimeType(), faults.describe(), encoding);
        } else if (text && faults.bareLf) {
            part.setBody(crlfLineEnds(body));
        }
    }

    /**
     * The last word on a copy's bytes, after every step: what the structural pass could not reach (a header field
     * over 998 octets, a multipart preamble, a multipart whose boundary never comes) is made legal here, so that no
     * smarthost refuses the copy: over-long lines are folded ({@code CRLF SP}, at the last blank before the limit
     * where there is one: proper folding in a header, ignored whitespace in base64), NUL bytes are dropped and bare
     * CRs become spaces. This damages only text no mail program shows as written (junk headers, preambles), or, in a
     * signed part that was never legal mail, the signature (a relay would have cut the line as well).
     */
    static byte[] lastResort(byte[] message, boolean hasSealedPart, String messageId) {
        Faults faults = Faults.of(message);
        if (!faults.needsReencoding()) {
            return message;
        }
        if (hasSealedPart) {
            // A relay would cut these lines anyway (Postfix does), or refuse the copy: a copy that arrives with a
            // signature that no longer verifies is better than none.
            log.warn("{}: a signed part is not legal on the wire ({}); made legal, so its signature will not verify",
                    messageId, faults.describe());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 900 * 3 + 16);
        ByteArrayOutputStream line = new ByteArrayOutputStream(MAX_LINE_OCTETS + 2);
        int lastBlank = -1; // index in line of the last SP/HTAB
        for (int i = 0; i < message.length; i++) {
            byte c = message[i];
            if (c == 0) {
                continue;
            }
            if (c == '\r' && (i + 1 >= message.length || message[i + 1] != '\n')) {
                c = ' ';
            }
            if (c == '\n' || c == '\r') {
                out.writeBytes(line.toByteArray());
                line.reset();
                out.write(c);
                lastBlank = -1;
                continue;
            }
            if (line.size() >= MAX_LINE_OCTETS - 1) {
                byte[] full = line.toByteArray();
                line.reset();
                if (lastBlank > 80) {
                    // Fold before the last blank: the blank starts the continuation line.
                    out.write(full, 0, lastBlank);
                    out.write('\r');
                    out.write('\n');
                    line.write(full, lastBlank, full.length - lastBlank);
                } else {
                    out.write(full, 0, full.length);
                    out.write('\r');
                    out.write('\n');
                    line.write(' ');
                }
                lastBlank = -1;
            }
            if (c == ' ' || c == '\t') {
                lastBlank = line.size();
            }
            line.write(c);
        }
        out.writeBytes(line.toByteArray());
        log.warn("{}: the copy still had {} after re-encoding its parts; folded and cleaned as a last resort",
                messageId, faults.describe());
        return out.toByteArray();
    }

    static boolean hasSealedPart(MimeEntity part) {
        if (part.isSealed()) {
            return true;
        }
        for (MimeEntity child : part.parts()) {
            if (hasSealedPart(child)) {
                return true;
            }
        }
        return false;
    }

    /** Bare CR and bare LF become CRLF: MIME's canonical line end for text (RFC 2045 section 6.6). */
    static byte[] crlfLineEnds(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 40 + 2);
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
            } else if (c == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static byte[] encode(byte[] bytes, String encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4 / 3 + 128);
        try (OutputStream enc = MimeUtility.encode(out, encoding)) {
            enc.write(bytes);
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("cannot encode as " + encoding, e);
        }
        byte[] encoded = out.toByteArray();
        if (encoded.length > 0 && encoded[encoded.length - 1] == '\n') {
            return encoded;
        }
        byte[] withEnd = new byte[encoded.length + 2];
        System.arraycopy(encoded, 0, withEnd, 0, encoded.length);
        withEnd[encoded.length] = '\r';
        withEnd[encoded.length + 1] = '\n';
        return withEnd;
    }

    /** What is wrong with a body for the wire, found in one pass. */
    record Faults(boolean longLine, boolean nul, boolean bareCr, boolean bareLf, boolean eightBit, boolean escape) {
        static Faults of(byte[] b) {
            boolean longLine = false;
            boolean nul = false;
            boolean bareCr = false;
            boolean bareLf = false;
            boolean eightBit = false;
            boolean escape = false;
            int lineStart = 0;
            for (int i = 0; i < b.length; i++) {
                byte c = b[i];
                if (c == '\n') {
                    int length = i - lineStart - (i > 0 && b[i - 1] == '\r' ? 1 : 0);
                    longLine |= length > MAX_LINE_OCTETS;
                    bareLf |= i == 0 || b[i - 1] != '\r';
                    lineStart = i + 1;
                } else if (c == '\r') {
                    bareCr |= i + 1 >= b.length || b[i + 1] != '\n';
                } else if (c == 0) {
                    nul = true;
                } else if (c < 0) {
                    eightBit = true;
                } else if (c == 0x1b) {
                    escape = true;
                }
            }
            longLine |= b.length - lineStart > MAX_LINE_OCTETS;
            return new Faults(longLine, nul, bareCr, bareLf, eightBit, escape);
        }

        boolean needsReencoding() {
            return longLine || nul || bareCr;
        }

        String describe() {
            StringBuilder s = new StringBuilder();
            if (longLine) {
                s.append("lines over ").append(MAX_LINE_OCTETS).append(" octets");
            }
            if (nul) {
                s.append(s.length() > 0 ? ", " : "").append("NUL bytes");
            }
            if (bareCr) {
                s.append(s.length() > 0 ? ", " : "").append("bare CRs");
            }
            return s.toString();
        }
    }
}
