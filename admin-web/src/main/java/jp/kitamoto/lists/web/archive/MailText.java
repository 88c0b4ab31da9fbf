package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderWords;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Charset choices and header decoding for Japanese mail as it really arrives. */
public final class MailText {

    private MailText() {
    }

    /** The Java charset for a MIME charset name: the one mapping of {@link Charsets}, UTF-8 when unknown. */
    public static Charset charset(String mimeName) {
        return Charsets.forLabel(mimeName).orElse(StandardCharsets.UTF_8);
    }

    /** Decodes RFC 2047 encoded words (see {@link HeaderWords#decode}). */
    public static String decodeHeader(String value) {
        return HeaderWords.decode(value).strip();
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
