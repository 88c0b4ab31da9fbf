package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.mime.HeaderWords;

import java.util.regex.Pattern;

/** Header decoding and address masking for Japanese mail as it really arrives. */
public final class MailText {

    private MailText() {
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
