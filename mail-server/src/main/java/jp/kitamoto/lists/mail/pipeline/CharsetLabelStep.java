package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.Charset;

/**
 * Puts a true charset label on text parts whose label is missing or proven wrong by their bytes: 8-bit bytes with
 * no label, under US-ASCII, or under ISO-2022-JP (a 7-bit charset; misconfigured mailers send Shift_JIS so). The
 * bytes are not touched, only the label, so the footer, the output conversion and every reader decode the text as
 * the archive does ({@link Charsets#forText}). Runs before every step that writes text into a part.
 */
public final class CharsetLabelStep implements PipelineStep {
    private static final Logger log = LoggerFactory.getLogger(CharsetLabelStep.class);

    @Override
    public void apply(PostDraft draft) {
        relabel(draft.message(), draft.message().rawValue("Message-ID").orElse("(no Message-ID)"));
    }

    static void relabel(MimeEntity part, String messageId) {
        if (part.isSealed()) {
            return;
        }
        if (part.isMultipart()) {
            for (MimeEntity child : part.parts()) {
                relabel(child, messageId);
            }
            return;
        }
        String type = part.mimeType();
        if (part.isAttachment() || !(type.equals("text/plain") || type.equals("text/html"))) {
            return;
        }
        byte[] bytes = TextBody.decodedBytes(part);
        if (!hasEightBit(bytes) || !TextBody.labelIsUnusable(part)) {
            // Pure 7-bit text under any label reads the same; a part whose label is right stays byte-identical.
            return;
        }
        Charset detected = TextBody.charsetOf(part);
        String was = part.charset().orElse("(none)");
        part.setCharset(Charsets.mimeLabel(detected));
        if (part.transferEncoding().equals("7bit")) {
            part.setHeader(HeaderField.of("Content-Transfer-Encoding", "8bit"));
        }
        log.info("{}: a {} part labelled {} holds 8-bit text; relabelled {}", messageId, type, was,
                Charsets.mimeLabel(detected));
    }

    private static boolean hasEightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
