package jp.kitamoto.lists.mime;

import org.mozilla.universalchardet.UniversalDetector;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * MIME charset labels to the Java charsets that decode what Japanese mail programs really send.
 * Windows mail programs label CP932 text (①, ㈱, 髙) as ISO-2022-JP or Shift_JIS; Java's strict decoders turn those
 * characters into U+FFFD, so we read both labels with Microsoft's supersets. Writing back uses the same superset,
 * so a character that came in survives the way out.
 */
public final class Charsets {
    public static final Charset ISO_2022_JP_MS = Charset.forName("x-windows-iso2022jp");
    public static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    /** EUC-JP with the IBM and NEC extensions old Unix mail may hold. */
    public static final Charset EUC_JP = Charset.forName("x-eucJP-Open");

    private Charsets() {
    }

    /** The Java charset for a MIME label; unknown labels give empty. */
    public static Optional<Charset> forLabel(String label) {
        if (label == null || label.isBlank()) {
            return Optional.empty();
        }
        String l = label.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        switch (l) {
            case "iso-2022-jp", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3", "csiso2022jp", "cp50220", "cp50221",
                 "iso-2022-jp-ms" -> {
                return Optional.of(ISO_2022_JP_MS);
            }
            case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "ms932", "windows-31j", "csshiftjis" -> {
                return Optional.of(WINDOWS_31J);
            }
            case "euc-jp", "x-euc-jp", "cseucpkdfmtjapanese" -> {
                return Optional.of(EUC_JP);
            }
            case "us-ascii", "ascii" -> {
                // Many Japanese messages labelled us-ascii carry 8-bit UTF-8; ASCII is a subset of UTF-8 anyway.
                return Optional.of(StandardCharsets.UTF_8);
            }
            default -> {
                try {
                    return Optional.of(Charset.forName(l));
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
    }

    /**
     * The charset a text body's label names, if the label can be trusted. US-ASCII (also the RFC 2045 default when
     * Content-Type is missing) cannot: on 8-bit text it is never true, and old Unix programs sent EUC-JP that way.
     */
    public static Optional<Charset> usableLabel(String label) {
        boolean ascii = label != null && label.trim().replace("\"", "").toLowerCase(Locale.ROOT).matches("(us-)?ascii");
        return ascii ? Optional.empty() : forLabel(label);
    }

    /**
     * The charset a text body's label names, if the label can be trusted for these bytes: besides
     * {@link #usableLabel(String)}, a 7-bit label (ISO-2022-JP) on bytes with the high bit set is proven wrong (a
     * misconfigured mailer's Shift_JIS under an ISO-2022-JP label), so such text is detected like unlabelled text.
     */
    public static Optional<Charset> usableLabel(String label, byte[] bytes) {
        Optional<Charset> named = usableLabel(label);
        if (named.isPresent() && named.get().equals(ISO_2022_JP_MS) && hasEightBit(bytes)) {
            return Optional.empty();
        }
        return named;
    }

    /** The charset to read a text body with: its label when usable ({@link #usableLabel(String, byte[])}), else detected. */
    public static Charset forText(String label, byte[] bytes) {
        return usableLabel(label, bytes).orElseGet(() -> detect(bytes));
    }

    static boolean hasEightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Best effort for unlabelled text: ISO-2022-JP escapes, then valid UTF-8; otherwise Mozilla's universal
     * detector tells EUC-JP (old Unix mail) from the rest, and the rest is read as Windows-31J, being what
     * unlabelled Japanese mail most often is (Windows programs and phones).
     */
    public static Charset detect(byte[] bytes) {
        boolean high = false;
        for (byte b : bytes) {
            if (b < 0) {
                high = true;
                break;
            }
        }
        if (!high) {
            for (int i = 0; i + 2 < bytes.length; i++) {
                if (bytes[i] == 0x1b && bytes[i + 1] == '$' && (bytes[i + 2] == 'B' || bytes[i + 2] == '@')) {
                    return ISO_2022_JP_MS;
                }
            }
            return StandardCharsets.UTF_8;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return StandardCharsets.UTF_8;
        } catch (java.nio.charset.CharacterCodingException e) {
            UniversalDetector detector = new UniversalDetector();
            detector.handleData(bytes, 0, bytes.length);
            detector.dataEnd();
            // Short texts fool the detector into Western charsets; our mail is Japanese, so only EUC-JP overrides
            // the Windows-31J default.
            return "EUC-JP".equalsIgnoreCase(detector.getDetectedCharset()) ? EUC_JP : WINDOWS_31J;
        }
    }

    /** The label to write in a Content-Type for a Java charset we chose. */
    public static String mimeLabel(Charset charset) {
        if (charset.equals(ISO_2022_JP_MS)) {
            return "ISO-2022-JP";
        }
        if (charset.equals(WINDOWS_31J)) {
            return "Shift_JIS";
        }
        if (charset.equals(EUC_JP)) {
            return "EUC-JP";
        }
        return charset.name();
    }
}
