package jp.kitamoto.lists.mime;

import java.nio.charset.StandardCharsets;

/**
 * One header field exactly as it was received (name, colon, value, folding and line ending), so that a field
 * nobody changes is written back byte for byte.
 */
public final class HeaderField {
    private final String name;
    private final byte[] raw;

    private HeaderField(String name, byte[] raw) {
        this.name = name;
        this.raw = raw;
    }

    /** A field from received bytes, kept as they are. */
    static HeaderField parsed(byte[] raw) {
        int colon = 0;
        while (colon < raw.length && raw[colon] != ':') {
            colon++;
        }
        String name = new String(raw, 0, Math.min(colon, raw.length), StandardCharsets.ISO_8859_1).trim();
        return new HeaderField(name, raw);
    }

    /**
     * A new field. {@code value} must already be ASCII (RFC 2047-encode it first); lines longer than 78 characters
     * are folded at spaces as RFC 5322 section 2.2.3 recommends.
     */
    public static HeaderField of(String name, String value) {
        return new HeaderField(name, (fold(name + ": " + value) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    static String fold(String line) {
        if (line.length() <= 78) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        int lastSpace = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c == ' ' || c == '\t') && i > lineStart) {
                if (i - lineStart > 76 && lastSpace > lineStart) {
                    out.append(line, lineStart, lastSpace).append("\r\n");
                    lineStart = lastSpace;
                }
                lastSpace = i;
            }
        }
        if (line.length() - lineStart > 78 && lastSpace > lineStart) {
            out.append(line, lineStart, lastSpace).append("\r\n");
            lineStart = lastSpace;
        }
        out.append(line, lineStart, line.length());
        return out.toString();
    }

    public String name() {
        return name;
    }

    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The raw value, unfolded, without the line ending; non-ASCII bytes appear as ISO-8859-1 characters. */
    public String rawValue() {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(':');
        String v = colon >= 0 ? s.substring(colon + 1) : "";
        v = v.replaceAll("\r?\n(?=[ \t])", "");
        return v.replaceAll("[\r\n]+$", "").trim();
    }

    public byte[] raw() {
        return raw;
    }
}
