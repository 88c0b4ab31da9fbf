package jp.kitamoto.lists.mime;

import jp.kitamoto.lists.domain.OutputCharset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a message to a list's output charset ({@link OutputCharset}): the display text of Subject, From, To and
 * Cc, and every inline text part. Lists whose members read on old carrier phones ask for ISO-2022-JP; lists that
 * want one charset for everything ask for UTF-8.
 *
 * <p>What is never changed: attachments, anything inside multipart/signed or encrypted (the signature covers those
 * bytes), and text that cannot be written in the target charset (an emoji on an ISO-2022-JP list): that part or
 * field keeps the author's charset and a log line says so, because a copy the phone shows partly in the author's
 * UTF-8 is better than a copy with {@code ?} in place of a character.
 *
 * <p>ISO-2022-JP here is Microsoft's variant ({@link Charsets#ISO_2022_JP_MS}), so that ①, ㈱ and 髙 survive as
 * Windows and Japanese phones write them. Half-width kana have no place in RFC 1468 ISO-2022-JP and phones show them
 * as garbage, so they are widened to full-width first, as Windows (CP50220) and Japanese mail programs do.
 */
public final class OutputConversion {
    private static final Logger log = LoggerFactory.getLogger(OutputConversion.class);
    private static final Pattern HALFWIDTH_KANA = Pattern.compile("[\\uFF61-\\uFF9F]+");
    private static final Pattern META_CHARSET =
            Pattern.compile("(<meta\\b[^>]*?charset\\s*=\\s*[\"']?)([A-Za-z0-9_.:-]+)", Pattern.CASE_INSENSITIVE);
    private static final List<String> DISPLAY_FIELDS = List.of("Subject", "From", "To", "Cc");

    private OutputConversion() {
    }

    /** The Java charset copies are written in; empty for {@link OutputCharset#KEEP}. */
    public static Optional<Charset> charsetFor(OutputCharset output) {
        return switch (output) {
            case KEEP -> Optional.empty();
            case UTF_8 -> Optional.of(StandardCharsets.UTF_8);
            case ISO_2022_JP -> Optional.of(Charsets.ISO_2022_JP_MS);
        };
    }

    /** The text as it will be written in {@code target} (half-width kana widened for ISO-2022-JP), if it fits. */
    public static Optional<String> fit(String text, Charset target) {
        String adapted = target.equals(Charsets.ISO_2022_JP_MS) ? widenHalfwidthKana(text) : text;
        return TextBody.canEncode(adapted, target) ? Optional.of(adapted) : Optional.empty();
    }

    /** ｶﾞｲﾄﾞ becomes ガイド (NFKC, applied to half-width kana only so that ① and full-width digits stay). */
    public static String widenHalfwidthKana(String text) {
        Matcher m = HALFWIDTH_KANA.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(Normalizer.normalize(r.group(), Normalizer.Form.NFKC)));
    }

    /** Converts the message in place; with {@link OutputCharset#KEEP} it is left alone. */
    public static void convert(MimeEntity message, OutputCharset output) {
        Optional<Charset> target = charsetFor(output);
        if (target.isEmpty()) {
            return;
        }
        String messageId = message.rawValue("Message-ID").map(String::strip).orElse("(no Message-ID)");
        for (String field : DISPLAY_FIELDS) {
            convertField(message, field, target.get(), messageId);
        }
        convertParts(message, target.get(), messageId);
    }

    private static void convertField(MimeEntity message, String name, Charset target, String messageId) {
        Optional<String> raw = message.rawValue(name);
        if (raw.isEmpty()) {
            return;
        }
        String value = raw.get().strip();
        if (HeaderWords.hasRaw8bit(value)) {
            // Unencoded 8-bit text has no encoded words to convert (a raw Subject was encoded by the prefix step).
            return;
        }
        Optional<String> reencoded = HeaderWords.reencode(value, target, text -> fit(text, target));
        if (reencoded.isPresent()) {
            message.setHeader(HeaderField.of(name, reencoded.get()));
        } else if (fit(HeaderWords.decode(value), target).isEmpty()) {
            keptLog(messageId, name, target);
        }
    }

    private static void keptLog(String messageId, String what, Charset target) {
        log.info("{}: {} keeps the author's charset: its text does not fit {}", messageId, what,
                Charsets.mimeLabel(target));
    }


    private static void convertParts(MimeEntity part, Charset target, String messageId) {
        if (part.isSealed()) {
            return;
        }
        String type = part.mimeType();
        if (part.isMultipart()) {
            for (MimeEntity child : part.parts()) {
                convertParts(child, target, messageId);
            }
            return;
        }
        if (part.isAttachment() || !(type.equals("text/plain") || type.equals("text/html"))) {
            return;
        }
        String text = TextBody.decode(part);
        Optional<String> fitted = fit(text, target);
        if (fitted.isEmpty()) {
            keptLog(messageId, "a " + type + " part in " + Charsets.mimeLabel(TextBody.charsetOf(part)), target);
            return;
        }
        boolean sameCharset = TextBody.charsetOf(part).equals(target)
                && part.charset().flatMap(Charsets::forLabel).isPresent();
        if ((sameCharset || isAscii(text)) && fitted.get().equals(text)) {
            return;
        }
        String converted = type.equals("text/html") ? relabelMeta(fitted.get(), target) : fitted.get();
        String transfer = chooseTransferEncoding(part.transferEncoding(), target);
        if (!transfer.equals(part.transferEncoding())) {
            part.setHeader(HeaderField.of("Content-Transfer-Encoding", transfer));
        }
        part.setCharset(Charsets.mimeLabel(target));
        TextBody.encode(part, converted, target);
    }

    /**
     * ISO-2022-JP is 7bit by definition (RFC 1468), and phones expect it plain. UTF-8 from a 7bit or 8bit part is
     * written in base64, which every relay passes; base64 and quoted-printable parts keep their encoding.
     */
    private static String chooseTransferEncoding(String current, Charset target) {
        if (target.equals(Charsets.ISO_2022_JP_MS)) {
            return "7bit";
        }
        return current.equals("base64") || current.equals("quoted-printable") ? current : "base64";
    }

    /** An HTML part's own {@code <meta charset>} must agree with the new Content-Type, or browsers may believe it. */
    private static String relabelMeta(String html, Charset target) {
        Matcher m = META_CHARSET.matcher(html);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + Charsets.mimeLabel(target)));
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }
}
