package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.TextBody;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the fml-style prefix {@code [tag:00042]} in front of the subject and collapses what replies pile up:
 * {@code Re: [bunka:00041] Re: 会議} becomes {@code [bunka:00042] Re: 会議}.
 *
 * <p>The author's encoded words are kept byte for byte when the prefix and reply markers were plain text in front
 * of them (the usual case); only when they were inside an encoded word is the rest re-encoded, in the author's
 * charset if it can hold the text, else in UTF-8.
 */
public final class SubjectPrefixStep implements PipelineStep {
    /** Re:, RE:, Re[2]:, Re^2:, full-width colon, Fw/Fwd are left alone (a forward is a new topic). */
    private static final Pattern REPLY = Pattern.compile("^(?:re(?:\\[\\d+\\]|\\^\\d+)?\\s*[:：]\\s*)", Pattern.CASE_INSENSITIVE);

    @Override
    public void apply(PostDraft draft) {
        String tag = "[" + draft.list().subjectTag() + ":" + String.format("%05d", draft.sequence()) + "]";
        String raw = draft.message().rawValue("Subject").orElse("");
        Pattern anyTag = Pattern.compile("^\\[" + Pattern.quote(draft.list().subjectTag()) + "[:,]\\s*\\d+\\]\\s*");

        // First try on the raw value: strip plain-text markers in front of the encoded words.
        Stripped rawStripped = strip(raw, anyTag);
        String decodedRest = HeaderWords.decode(rawStripped.rest());
        Stripped decodedStripped = strip(decodedRest, anyTag);
        boolean reply = rawStripped.reply() || decodedStripped.reply();

        String newValue;
        if (!HeaderWords.hasRaw8bit(raw) && decodedStripped.rest().equals(decodedRest)) {
            // Nothing more hid inside the encoded words: keep them as the author wrote them.
            newValue = tag + " " + (reply ? "Re: " : "") + rawStripped.rest();
        } else {
            // Markers were inside an encoded word, or the subject is unencoded 8-bit text (old phones send raw
            // Shift_JIS, which RFC 5322 has no room for): encode the rest again, in the author's charset if it
            // holds the text, else in UTF-8.
            Charset charset = HeaderWords.firstCharset(raw)
                    .filter(c -> TextBody.canEncode(decodedStripped.rest(), c))
                    .orElse(StandardCharsets.UTF_8);
            newValue = HeaderWords.encodeAfterAsciiPrefix(tag + " " + (reply ? "Re: " : "") + decodedStripped.rest(),
                    charset);
        }
        draft.message().setHeader(HeaderField.of("Subject", newValue.strip()));
    }

    private record Stripped(String rest, boolean reply) {
    }

    private static Stripped strip(String value, Pattern tag) {
        String s = value.strip();
        boolean reply = false;
        boolean changed = true;
        while (changed) {
            changed = false;
            Matcher t = tag.matcher(s);
            if (t.find()) {
                s = s.substring(t.end()).strip();
                changed = true;
            }
            Matcher r = REPLY.matcher(s);
            if (r.find()) {
                s = s.substring(r.end()).strip();
                reply = true;
                changed = true;
            }
        }
        return new Stripped(s, reply);
    }

}
