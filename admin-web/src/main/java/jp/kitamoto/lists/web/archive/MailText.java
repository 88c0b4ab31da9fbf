package jp.kitamoto.lists.web.archive;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Charset choices and header decoding for Japanese mail as it really arrives. */
public final class MailText {
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
    private static final Pattern BETWEEN_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");

    private MailText() {
    }

    /**
     * The Java charset for a MIME charset name. ISO-2022-JP is decoded as Microsoft's variant and Shift_JIS as
     * Windows-31J, because Japanese mail written on Windows and phones uses their extra characters (①, ㈱, 髙) under
     * the standard names; decoding with the strict tables turns them into "?".
     */
    public static Charset charset(String mimeName) {
        if (mimeName == null || mimeName.isBlank()) {
            return StandardCharsets.US_ASCII;
        }
        String n = mimeName.strip().replace("\"", "").toLowerCase(Locale.ROOT);
        switch (n) {
            case "iso-2022-jp", "iso2022jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2":
                return Charset.forName("x-windows-iso2022jp");
            case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932":
                return Charset.forName("Windows-31J");
            case "euc-jp", "x-euc-jp":
                return Charset.forName("x-eucJP-Open");
            default:
                try {
                    return Charset.forName(n);
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
        }
    }

    /** Decodes RFC 2047 encoded words (whitespace between adjacent words is dropped, as the RFC says). */
    public static String decodeHeader(String value) {
        if (value == null) {
            return "";
        }
        String v = value.replaceAll("\r?\n[ \t]", " ");
        v = BETWEEN_WORDS.matcher(v).replaceAll("$1$2");
        Matcher m = ENCODED_WORD.matcher(v);
        StringBuilder out = new StringBuilder();
        int last = 0;
        // Adjacent words of one charset are joined as bytes first: a multi-byte character may be split across them.
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        Charset pendingCs = null;
        while (m.find()) {
            if (m.start() > last) {
                flush(out, pending, pendingCs);
                pendingCs = null;
                out.append(v, last, m.start());
            }
            Charset cs = charset(m.group(1).replaceAll("\\*.*$", ""));
            if (pendingCs != null && !pendingCs.equals(cs)) {
                flush(out, pending, pendingCs);
            }
            pendingCs = cs;
            byte[] bytes = m.group(2).equalsIgnoreCase("B") ? base64(m.group(3)) : q(m.group(3));
            pending.writeBytes(bytes);
            last = m.end();
        }
        flush(out, pending, pendingCs);
        out.append(v.substring(last));
        return out.toString().strip();
    }

    private static void flush(StringBuilder out, java.io.ByteArrayOutputStream pending, Charset cs) {
        if (pending.size() > 0 && cs != null) {
            out.append(new String(pending.toByteArray(), cs));
        }
        pending.reset();
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getMimeDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] q(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < s.length() + 0 && i + 2 <= s.length() - 1) {
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } catch (NumberFormatException e) {
                    out.write(c);
                }
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static final Pattern ADDRESS = Pattern.compile(
            "([A-Za-z0-9._%+\\-!#$&'*/=?^`{|}~])[A-Za-z0-9._%+\\-!#$&'*/=?^`{|}~]*(@|&#64;|&#x40;|＠)[A-Za-z0-9.\\-]+");

    /** Masks every e-mail address in a text: {@code taro@example.jp} becomes {@code t…@…}. */
    public static String maskAddresses(String text) {
        if (text == null) {
            return "";
        }
        return ADDRESS.matcher(text).replaceAll("$1…@…");
    }
}
