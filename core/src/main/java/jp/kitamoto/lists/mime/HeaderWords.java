package jp.kitamoto.lists.mime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded words, decoded with the charsets Japanese mail really uses ({@link Charsets}) instead of Jakarta
 * Mail's strict ones, and encoded without ever splitting a character (or an ISO-2022-JP escape sequence) across
 * two words.
 */
public final class HeaderWords {
    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final int MAX_WORD = 75;

    private HeaderWords() {
    }

    /**
     * Decodes a header value (folded or not); raw 8-bit bytes are read as UTF-8 or, failing that, Windows-31J.
     * Adjacent encoded words of one charset are joined as bytes before decoding: mail programs split a multi-byte
     * character (or an ISO-2022-JP escape sequence) across two words more often than RFC 2047 allows.
     */
    public static String decode(String rawValue) {
        if (rawValue == null) {
            return "";
        }
        String value = decode8bit(rawValue.replaceAll("\r?\n(?=[ \t])", ""));
        Matcher m = WORD.matcher(value);
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Charset pendingCharset = null;
        int last = 0;
        while (m.find()) {
            String between = value.substring(last, m.start());
            Optional<Charset> charset = Charsets.forLabel(stripLanguage(m.group(1)));
            Optional<byte[]> bytes = charset.flatMap(c -> wordBytes(m.group(2), m.group(3)));
            // RFC 2047 section 6.2: whitespace between two adjacent encoded words is not displayed.
            boolean adjacent = pendingCharset != null && between.isBlank();
            if (!adjacent) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(between);
            }
            if (bytes.isEmpty()) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(m.group());
            } else {
                if (pendingCharset != null && !pendingCharset.equals(charset.get())) {
                    flush(out, pending, pendingCharset);
                }
                pendingCharset = charset.get();
                pending.writeBytes(bytes.get());
            }
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(value.substring(last));
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (pending.size() > 0 && charset != null) {
            out.append(new String(pending.toByteArray(), charset));
        }
        pending.reset();
    }

    /** RFC 2231 section 5: a language suffix such as {@code UTF-8*ja}. */
    private static String stripLanguage(String label) {
        int star = label.indexOf('*');
        return star > 0 ? label.substring(0, star) : label;
    }

    private static Optional<byte[]> wordBytes(String encoding, String text) {
        try {
            return Optional.of(encoding.equalsIgnoreCase("B") ? Base64.getMimeDecoder().decode(text) : decodeQ(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String decode8bit(String latin1) {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        for (byte b : bytes) {
            if (b < 0) {
                return new String(bytes, Charsets.detect(bytes));
            }
        }
        return latin1;
    }

    private static byte[] decodeQ(String text) {
        ByteBuffer out = ByteBuffer.allocate(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.put((byte) ' ');
            } else if (c == '=' && i + 2 < text.length()) {
                out.put((byte) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.put((byte) c);
            }
        }
        byte[] b = new byte[out.position()];
        out.flip();
        out.get(b);
        return b;
    }

    /** The charset of the first encoded word of a raw value, if any (to keep the author's charset). */
    public static Optional<Charset> firstCharset(String rawValue) {
        Matcher m = WORD.matcher(rawValue == null ? "" : rawValue);
        return m.find() ? Charsets.forLabel(m.group(1)) : Optional.empty();
    }

    /** A run of encoded words with only whitespace between them: one piece of display text. */
    private static final Pattern WORD_RUN = Pattern.compile(WORD.pattern() + "(?:[ \t]*(?:\r?\n)?[ \t]+" + WORD.pattern() + ")*");

    /**
     * The raw value with every run of encoded words that is not already in {@code target} decoded and encoded
     * again in {@code target}; the text around the runs (a list prefix, an address) is kept as it is. Empty when
     * nothing needs to change, or when the text of a run cannot be written in {@code target} ({@code fit} may
     * adapt the text first, for example widening half-width kana for ISO-2022-JP, and answers empty if it still
     * does not fit).
     */
    public static Optional<String> reencode(String rawValue, Charset target,
                                            java.util.function.Function<String, Optional<String>> fit) {
        Matcher m = WORD_RUN.matcher(rawValue);
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        int last = 0;
        while (m.find()) {
            out.append(rawValue, last, m.start());
            String run = m.group();
            String text = decode(run);
            Optional<String> fitted = fit.apply(text);
            if (fitted.isEmpty()) {
                return Optional.empty();
            }
            if (inCharset(run, target) && fitted.get().equals(text)) {
                out.append(run);
            } else {
                out.append(encode(fitted.get(), target));
                changed = true;
            }
            last = m.end();
        }
        out.append(rawValue.substring(last));
        return changed ? Optional.of(out.toString()) : Optional.empty();
    }

    private static boolean inCharset(String run, Charset target) {
        Matcher w = WORD.matcher(run);
        while (w.find()) {
            if (!Charsets.forLabel(stripLanguage(w.group(1))).map(target::equals).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Encodes text for a header, leaving its leading ASCII words plain: {@code [bunka:00042] Re: 会議} keeps the
     * tag readable by filters and only {@code 会議} becomes an encoded word.
     */
    public static String encodeAfterAsciiPrefix(String text, Charset charset) {
        int cut = 0;
        while (cut < text.length()) {
            int space = text.indexOf(' ', cut);
            int end = space < 0 ? text.length() : space;
            if (needsEncoding(text.substring(cut, end))) {
                break;
            }
            cut = space < 0 ? text.length() : space + 1;
        }
        return text.substring(0, cut) + encode(text.substring(cut), charset);
    }

    /** Whether a raw value (bytes as ISO-8859-1 characters) holds unencoded 8-bit text. */
    public static boolean hasRaw8bit(String rawValue) {
        for (int i = 0; i < rawValue.length(); i++) {
            if (rawValue.charAt(i) > 126) {
                return true;
            }
        }
        return false;
    }

    public static boolean needsEncoding(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 126 || (c < 32 && c != '\t')) {
                return true;
            }
        }
        return text.contains("=?");
    }

    /**
     * Encodes text for a header: ASCII stays as it is; anything else becomes B-encoded words in {@code charset},
     * separated by spaces so that folding may break between them.
     */
    public static String encode(String text, Charset charset) {
        if (!needsEncoding(text)) {
            return text;
        }
        String label = Charsets.mimeLabel(charset);
        String prefix = "=?" + label + "?B?";
        int budget = (MAX_WORD - prefix.length() - 2) / 4 * 3; // bytes that fit in one word
        List<String> words = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = start;
            byte[] chunk = new byte[0];
            while (end < text.length()) {
                int next = text.offsetByCodePoints(end, 1);
                byte[] candidate = bytes(text.substring(start, next), charset);
                if (candidate.length > budget && end > start) {
                    break;
                }
                chunk = candidate;
                end = next;
            }
            words.add(prefix + Base64.getEncoder().encodeToString(chunk) + "?=");
            start = end;
        }
        return String.join(" ", words);
    }

    private static byte[] bytes(String s, Charset charset) {
        try {
            ByteBuffer b = charset.newEncoder().onUnmappableCharacter(CodingErrorAction.REPORT)
                    .onMalformedInput(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("cannot encode in " + charset + ": " + s, e);
        }
    }
}
