package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.mime.AddressMask;
import jp.kitamoto.lists.mime.HeaderWords;

/** Header decoding and address masking for Japanese mail as it really arrives. */
public final class MailText {

    private MailText() {
    }

    /** Decodes RFC 2047 encoded words (see {@link HeaderWords#decode}). */
    public static String decodeHeader(String value) {
        return HeaderWords.decode(value).strip();
    }

    /** Masks every e-mail address in a text: {@code taro@example.jp} becomes {@code t…@…}. */
    public static String maskAddresses(String text) {
        return AddressMask.mask(text);
    }
}
