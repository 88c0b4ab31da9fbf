package jp.kitamoto.lists.mime;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A message or body part held as its received bytes, parsed just enough to change what the pipeline changes
 * (header fields, one text part) and to write everything else back byte for byte. Jakarta Mail's MimeMessage
 * re-encodes parts it touches and may reformat headers; list mail must leave signatures, attachments and the
 * author's charset alone, so the untouched bytes are kept as they came.
 *
 * <p>A multipart body is split at its boundary lines (RFC 2046 section 5.1.1: the CRLF before a boundary belongs to
 * the boundary), keeping the preamble, each delimiter line and the epilogue exactly.
 *
 * <p>It stays one class (with its nested {@code Multipart}) on purpose: parsing, editing and writing back share one
 * invariant, "bytes nobody changed are written back as they came", kept by private state (the separator, the
 * changed flags, the original multipart bytes) that a split would have to expose.
 */
public final class MimeEntity {
    private static final int MAX_DEPTH = 20;
    private static final byte[] CRLF = {'\r', '\n'};

    private final List<HeaderField> headers;
    private final byte[] separator;
    private byte[] body;
    private Multipart multipart;
    private boolean bodyChanged;
    private boolean headersChanged;
    private List<String> defects = List.of();

    private MimeEntity(List<HeaderField> headers, byte[] separator, byte[] body, int depth) {
        this.headers = new ArrayList<>(headers);
        this.separator = separator;
        this.body = body;
        if (depth < MAX_DEPTH && isMultipart()) {
            this.multipart = Multipart.parse(body, boundary().orElse(null), depth + 1);
        }
    }

    /**
     * Parses a whole message (or part), as liberally as an MTA reads mail: an mbox {@code From } line in front of
     * the header section is skipped, and a header section that ends without its blank line ends at the first line
     * that is not a header field (as Python's email package and Postfix read it); both are recorded in
     * {@link #defects()}; text with no header field at all is read as a body without header fields. Throws
     * {@link MalformedMessageException} only for an empty message, the one thing that cannot be read as mail.
     */
    public static MimeEntity parse(byte[] bytes) {
        List<String> defects = new ArrayList<>();
        int start = 0;
        if (startsWithMboxFromLine(bytes)) {
            start = lineEnd(bytes, 0);
            defects.add("mbox From line before the header section dropped");
        }
        MimeEntity entity = parse(bytes, start, 0, defects);
        if (entity.isEmptyMail()) {
            throw new MalformedMessageException("the message is empty");
        }
        entity.defects = List.copyOf(defects);
        return entity;
    }

    static MimeEntity parse(byte[] bytes, int depth) {
        return parse(bytes, 0, depth, new ArrayList<>());
    }

    private static MimeEntity parse(byte[] bytes, int start, int depth, List<String> defects) {
        List<HeaderField> headers = new ArrayList<>();
        int pos = start;
        int fieldStart = -1;
        while (pos < bytes.length) {
            int lineEnd = lineEnd(bytes, pos);
            boolean blank = lineEnd - pos == lineTerminatorLength(bytes, pos, lineEnd) ;
            if (blank) {
                if (fieldStart >= 0) {
                    headers.add(HeaderField.parsed(slice(bytes, fieldStart, pos)));
                }
                byte[] sep = slice(bytes, pos, lineEnd);
                return new MimeEntity(headers, sep, slice(bytes, lineEnd, bytes.length), depth);
            }
            byte first = bytes[pos];
            boolean continuation = first == ' ' || first == '\t';
            if (continuation && fieldStart >= 0) {
                pos = lineEnd;
                continue;
            }
            if (fieldStart >= 0) {
                headers.add(HeaderField.parsed(slice(bytes, fieldStart, pos)));
            }
            if (continuation || indexOfColon(bytes, pos, lineEnd) < 0) {
                if (depth == 0) {
                    // RFC 5322 wants a blank line here; a mailer that forgets it means "the body starts now", and
                    // that is how Postfix and Python's email package read it. Nothing is refused for it.
                    defects.add(headers.isEmpty() ? "no header section: the whole message is read as its body"
                            : "header section ended without a blank line at: " + new String(bytes, pos,
                            Math.min(40, lineEnd - pos), StandardCharsets.ISO_8859_1).trim());
                }
                // A body part may legally start without headers; treat the rest as its body.
                return new MimeEntity(headers, new byte[0], slice(bytes, pos, bytes.length), depth);
            }
            fieldStart = pos;
            pos = lineEnd;
        }
        if (fieldStart >= 0) {
            headers.add(HeaderField.parsed(slice(bytes, fieldStart, bytes.length)));
        }
        if (depth == 0 && headers.isEmpty()) {
            throw new MalformedMessageException("the message is empty");
        }
        return new MimeEntity(headers, new byte[0], new byte[0], depth);
    }

    /**
     * Nothing but trace fields (the {@code Received:} line the intake writes in front of every message) and blank
     * lines: an empty DATA, the one input that is no mail at all.
     */
    private boolean isEmptyMail() {
        boolean onlyTrace = headers.stream().allMatch(h -> h.is("Received") || h.is("Return-Path"));
        if (!onlyTrace) {
            return false;
        }
        for (byte b : body) {
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The mbox separator ({@code From sender date}), which has no colon after its first word, unlike a field. */
    private static boolean startsWithMboxFromLine(byte[] b) {
        if (b.length < 5 || b[0] != 'F' || b[1] != 'r' || b[2] != 'o' || b[3] != 'm' || b[4] != ' ') {
            return false;
        }
        int end = lineEnd(b, 0);
        return end < b.length;
    }

    /**
     * What the liberal reading of the top-level message had to forgive (empty for a well-formed message), in
     * English, for the log and the post's record. The bytes themselves are kept as received.
     */
    public List<String> defects() {
        return defects;
    }

    private static int indexOfColon(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                return i;
            }
            if (b[i] == ' ' || b[i] == '\t' || b[i] < 32) {
                return -1;
            }
        }
        return -1;
    }

    /** Index just after the line terminator of the line starting at {@code pos} (or the end). */
    static int lineEnd(byte[] b, int pos) {
        for (int i = pos; i < b.length; i++) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return b.length;
    }

    private static int lineTerminatorLength(byte[] b, int start, int end) {
        if (end > start && b[end - 1] == '\n') {
            return (end - 1 > start && b[end - 2] == '\r') ? 2 : 1;
        }
        return end == start ? 0 : -1;
    }

    static byte[] slice(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }

    // ----- headers -----

    public List<HeaderField> headers() {
        return Collections.unmodifiableList(headers);
    }

    public Optional<HeaderField> header(String name) {
        return headers.stream().filter(h -> h.is(name)).findFirst();
    }

    public List<HeaderField> headers(String name) {
        return headers.stream().filter(h -> h.is(name)).toList();
    }

    public Optional<String> rawValue(String name) {
        return header(name).map(HeaderField::rawValue);
    }

    /** Replaces the first field of this name in place (keeping its position), or appends it. Removes the others. */
    public void setHeader(HeaderField field) {
        int first = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).is(field.name())) {
                first = i;
                break;
            }
        }
        removeHeaders(field.name());
        headersChanged = true;
        if (first >= 0 && first <= headers.size()) {
            headers.add(first, field);
        } else {
            headers.add(field);
        }
    }

    public void addHeader(HeaderField field) {
        headersChanged = true;
        headers.add(field);
    }

    public void removeHeaders(String name) {
        if (headers.removeIf(h -> h.is(name))) {
            headersChanged = true;
        }
    }

    // ----- content type -----

    public ContentType contentType() {
        String value = rawValue("Content-Type").orElse("text/plain; charset=us-ascii");
        try {
            return new ContentType(value);
        } catch (ParseException e) {
            try {
                // Common breakage: a trailing semicolon or junk parameters. Keep the type, drop the rest.
                return new ContentType(value.split(";", 2)[0].trim());
            } catch (ParseException e2) {
                return new ContentType("application", "octet-stream", null);
            }
        }
    }

    public String mimeType() {
        ContentType ct = contentType();
        return (ct.getPrimaryType() + "/" + ct.getSubType()).toLowerCase(Locale.ROOT);
    }

    public boolean isMultipart() {
        return mimeType().startsWith("multipart/");
    }

    public Optional<String> boundary() {
        return Optional.ofNullable(contentType().getParameter("boundary"));
    }

    public Optional<String> charset() {
        return Optional.ofNullable(contentType().getParameter("charset"));
    }

    /** Sets the charset parameter of Content-Type, keeping the type and its other parameters. */
    public void setCharset(String label) {
        ContentType ct = contentType();
        ct.setParameter("charset", label);
        setHeader(HeaderField.of("Content-Type", ct.toString().replaceAll("\\s*\r\n\\s*", " ")));
    }

    public String transferEncoding() {
        return rawValue("Content-Transfer-Encoding").map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("7bit");
    }

    /**
     * Signed or encrypted (RFC 1847, S/MIME): a byte changed inside breaks the signature, or cannot be made at all,
     * so no step may touch what is inside.
     */
    public boolean isSealed() {
        String type = mimeType();
        return type.equals("multipart/signed") || type.equals("multipart/encrypted")
                || type.equals("application/pkcs7-mime");
    }

    /** True for a part that is an attachment rather than inline text. */
    public boolean isAttachment() {
        String disposition = rawValue("Content-Disposition").orElse("").toLowerCase(Locale.ROOT);
        return disposition.startsWith("attachment") || contentType().getParameter("name") != null
                && !disposition.startsWith("inline");
    }

    // ----- body -----

    /** The body as it will be written (for a multipart, with its parts as they are now). */
    public byte[] body() {
        return multipart != null && multipart.changed() ? multipart.toBytes() : body;
    }

    /** Replaces the body of a single part (the caller sets the matching headers). */
    public void setBody(byte[] newBody) {
        if (multipart != null) {
            throw new IllegalStateException("set the parts of a multipart, not its body");
        }
        this.body = newBody;
        this.bodyChanged = true;
    }

    /**
     * Makes this entity multipart/mixed: its present content (the Content-* fields and the body, byte for byte)
     * becomes the first part and {@code extraPart} (a whole body part: fields, blank line, body) the second. Used
     * to add a footer beside a signed message without touching a byte the signature covers (RFC 1847 section 2.1).
     * {@code boundary} must not occur in either part; {@code =_} never occurs in base64 or quoted-printable text.
     */
    public void wrapInMixed(byte[] extraPart, String boundary) {
        List<HeaderField> content = headers.stream()
                .filter(h -> h.name().toLowerCase(Locale.ROOT).startsWith("content-")).toList();
        ByteArrayOutputStream inner = new ByteArrayOutputStream(body.length + 1024);
        for (HeaderField h : content) {
            writeField(inner, h);
        }
        inner.writeBytes(separator.length == 0 ? CRLF : separator);
        inner.writeBytes(body());
        headers.removeAll(content);
        String open = "--" + boundary + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(inner.size() + extraPart.length + 256);
        out.writeBytes(("This is a multi-part message in MIME format.\r\n" + open).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(inner.toByteArray());
        out.writeBytes(("\r\n" + open).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(extraPart);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        headers.add(HeaderField.of("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\""));
        headersChanged = true;
        body = out.toByteArray();
        bodyChanged = true;
        multipart = Multipart.parse(body, boundary, 1);
    }

    public boolean bodyChanged() {
        return bodyChanged || (multipart != null && multipart.changed());
    }

    public List<MimeEntity> parts() {
        return multipart == null ? List.of() : multipart.parts();
    }

    /**
     * The entity as bytes. The body is made first and the result allocated at its exact size: with each nesting
     * level allocating the whole size before its parts were made, a 9 MB attachment in a multipart took four 9 MB
     * buffers at once (an OutOfMemoryError under run.sh's heap, twelve such posts arriving together).
     */
    public byte[] toBytes() {
        byte[] content = body();
        ByteArrayOutputStream head = new ByteArrayOutputStream(2048);
        writeHeaders(head);
        head.writeBytes(separator.length == 0 && (content.length > 0 || bodyChanged()) ? CRLF : separator);
        return concat(List.of(head.toByteArray(), content));
    }

    /** The arrays one after the other, in one array of the exact size (no growing buffer, no second copy). */
    static byte[] concat(List<byte[]> pieces) {
        long size = 0;
        for (byte[] piece : pieces) {
            size += piece.length;
        }
        byte[] out = new byte[Math.toIntExact(size)];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }

    private void writeHeaders(ByteArrayOutputStream out) {
        for (HeaderField h : headers) {
            writeField(out, h);
        }
    }

    private static void writeField(ByteArrayOutputStream out, HeaderField h) {
        byte[] r = h.raw();
        out.writeBytes(r);
        if (r.length == 0 || r[r.length - 1] != '\n') {
            out.writeBytes(CRLF);
        }
    }

    /** The parts of a multipart body with the bytes between them. */
    static final class Multipart {
        private final String boundary;
        private final byte[] preamble;
        private final List<byte[]> delimiters = new ArrayList<>();
        private final List<MimeEntity> parts = new ArrayList<>();
        private final byte[] tail;
        private final byte[] original;

        private Multipart(String boundary, byte[] preamble, byte[] tail, byte[] original) {
            this.boundary = boundary;
            this.preamble = preamble;
            this.tail = tail;
            this.original = original;
        }

        static Multipart parse(byte[] body, String boundary, int depth) {
            if (boundary == null || boundary.isEmpty()) {
                return null;
            }
            byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            List<int[]> lines = new ArrayList<>(); // {delimiterStart, lineStart, lineEnd, isClose}
            int pos = 0;
            while (pos < body.length) {
                int end = lineEnd(body, pos);
                if (startsWith(body, pos, dash)) {
                    int after = pos + dash.length;
                    boolean close = after + 1 < body.length && body[after] == '-' && body[after + 1] == '-';
                    if (close || isBlankTail(body, after, end)) {
                        int delimStart = pos;
                        if (pos >= 2 && body[pos - 1] == '\n' && body[pos - 2] == '\r') {
                            delimStart = pos - 2;
                        } else if (pos >= 1 && body[pos - 1] == '\n') {
                            delimStart = pos - 1;
                        }
                        lines.add(new int[]{delimStart, pos, end, close ? 1 : 0});
                        if (close) {
                            break;
                        }
                    }
                }
                pos = end;
            }
            if (lines.isEmpty()) {
                return null;
            }
            byte[] preamble = slice(body, 0, lines.get(0)[0]);
            int[] last = lines.get(lines.size() - 1);
            boolean closed = last[3] == 1;
            byte[] tail = closed ? slice(body, last[0], body.length) : new byte[0];
            Multipart mp = new Multipart(boundary, preamble, tail, body);
            int openCount = closed ? lines.size() - 1 : lines.size();
            for (int i = 0; i < openCount; i++) {
                int[] d = lines.get(i);
                int contentEnd = i + 1 < lines.size() ? lines.get(i + 1)[0] : body.length;
                mp.delimiters.add(slice(body, d[0], d[2]));
                mp.parts.add(MimeEntity.parse(slice(body, d[2], Math.max(d[2], contentEnd)), depth));
            }
            return mp;
        }

        private static boolean isBlankTail(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                    return false;
                }
            }
            return true;
        }

        private static boolean startsWith(byte[] b, int pos, byte[] prefix) {
            if (pos + prefix.length > b.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b[pos + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        List<MimeEntity> parts() {
            return Collections.unmodifiableList(parts);
        }

        boolean changed() {
            return parts.stream().anyMatch(p -> p.bodyChanged() || p.headersChanged);
        }

        byte[] toBytes() {
            if (!changed()) {
                return original;
            }
            // Each part made first, then one array of the exact size (see MimeEntity.toBytes).
            List<byte[]> pieces = new ArrayList<>(2 * parts.size() + 2);
            pieces.add(preamble);
            for (int i = 0; i < parts.size(); i++) {
                pieces.add(delimiters.get(i));
                pieces.add(parts.get(i).toBytes());
            }
            pieces.add(tail.length > 0 ? tail : ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return concat(pieces);
        }
    }

}
