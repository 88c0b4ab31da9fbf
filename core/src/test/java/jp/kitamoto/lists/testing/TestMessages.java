package jp.kitamoto.lists.testing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Builds test messages from text blocks: LF becomes CRLF, and a body may be given in a charset of its own. */
public final class TestMessages {
    private TestMessages() {
    }

    public static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Header lines (ASCII) and a body written in {@code charset}, lines ending in CRLF. */
    public static byte[] message(String headers, String body, Charset charset) {
        byte[] head = crlf(headers.strip() + "\n\n");
        byte[] text = body.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(charset);
        byte[] all = new byte[head.length + text.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(text, 0, all, head.length, text.length);
        return all;
    }

    public static boolean isSevenBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
