package jp.kitamoto.lists.web.csv;

import jp.kitamoto.lists.mime.Charsets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a CSV file as Excel in Japan writes it. "CSV UTF-8" from Excel starts with a BOM; plain "CSV" is
 * Windows-31J (MS932, not Shift_JIS: ①, ㈱, 髙 and 〜 differ). Without a BOM, text that is valid UTF-8 is taken as
 * UTF-8 (Windows-31J text with any Japanese in it is almost never valid UTF-8), anything else as Windows-31J.
 */
public final class CsvText {
    public record Decoded(String text, String charsetLabel) {
    }

    private CsvText() {
    }

    public static Decoded decode(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            return new Decoded(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8), "UTF-8（BOM 付き）");
        }
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            // Excel's "Unicode text" export: UTF-16LE with BOM, tab-separated.
            return new Decoded(new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE), "UTF-16");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new Decoded(text, "UTF-8");
        } catch (CharacterCodingException e) {
            return new Decoded(new String(bytes, Charsets.WINDOWS_31J), "Windows-31J（Shift_JIS）");
        }
    }
}
