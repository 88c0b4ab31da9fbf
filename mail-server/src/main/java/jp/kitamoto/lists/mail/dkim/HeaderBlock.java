package jp.kitamoto.lists.mail.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header fields at the start of a message as raw bytes, and where the body starts. Only what signing needs:
 * field boundaries (a line starting with a space or tab continues the field above) and names.
 *
 * @param fields    in message order
 * @param bodyStart offset of the first body byte (after the empty line), or the length if there is no body
 */
record HeaderBlock(List<Field> fields, int bodyStart) {

    record Field(String name, byte[] raw) {
        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    /** Parses {@code bytes}; for the personal block (fields only) the body start is simply the end. */
    static HeaderBlock parse(byte[] bytes) {
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        int fieldStart = -1;
        while (pos < bytes.length) {
            int lineEnd = pos;
            while (lineEnd < bytes.length && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r') {
                lineEnd++;
            }
            int next = lineEnd;
            if (next < bytes.length && bytes[next] == '\r') {
                next++;
            }
            if (next < bytes.length && bytes[next] == '\n') {
                next++;
            }
            if (lineEnd == pos) { // the empty line: end of the header
                if (fieldStart >= 0) {
                    fields.add(field(bytes, fieldStart, pos));
                }
                return new HeaderBlock(List.copyOf(fields), next);
            }
            boolean continuation = bytes[pos] == ' ' || bytes[pos] == '\t';
            if (!continuation) {
                if (fieldStart >= 0) {
                    fields.add(field(bytes, fieldStart, pos));
                }
                fieldStart = pos;
            }
            pos = next;
        }
        if (fieldStart >= 0) {
            fields.add(field(bytes, fieldStart, bytes.length));
        }
        return new HeaderBlock(List.copyOf(fields), bytes.length);
    }

    private static Field field(byte[] bytes, int from, int to) {
        int colon = from;
        while (colon < to && bytes[colon] != ':') {
            colon++;
        }
        String name = new String(bytes, from, colon - from, StandardCharsets.ISO_8859_1).trim();
        return new Field(name, Arrays.copyOfRange(bytes, from, to));
    }
}
