package jp.kitamoto.lists.mime;

import java.util.regex.Pattern;

/**
 * Masks e-mail addresses in text that the public reads: the archive pages and the archive's search index (so that a
 * search cannot be used to find out who wrote to a public list).
 */
public final class AddressMask {
    private static final Pattern ADDRESS = Pattern.compile(
            "([A-Za-z0-9._%+\\-!#$&'*/=?^`{|}~])[A-Za-z0-9._%+\\-!#$&'*/=?^`{|}~]*(@|&#64;|&#x40;|＠)[A-Za-z0-9.\\-]+");

    private AddressMask() {
    }

    /** {@code taro@example.jp} becomes {@code t…@…}; null becomes "". */
    public static String mask(String text) {
        if (text == null) {
            return "";
        }
        return ADDRESS.matcher(text).replaceAll("$1…@…");
    }
}
