package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A label that the bytes prove wrong is replaced; the bytes themselves are never changed here. */
class CharsetLabelStepTest {
    private static final String TEXT = "北本市の①㈱髙橋です。\r\n";

    private static byte[] message(String contentType, String cte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("From: a@example.jp\r\nSubject: x\r\n" + (contentType == null ? "" : "Content-Type: "
                + contentType + "\r\n") + (cte == null ? "" : "Content-Transfer-Encoding: " + cte + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static MimeEntity relabelled(byte[] message) {
        PostDraft draft = Drafts.draft(message);
        new CharsetLabelStep().apply(draft);
        return MimeEntity.parse(draft.message().toBytes());
    }

    @Test
    void shiftJisUnderAnIso2022JpLabelIsRelabelledShiftJis() {
        byte[] body = TEXT.getBytes(Charsets.WINDOWS_31J);
        MimeEntity copy = relabelled(message("text/plain; charset=ISO-2022-JP", "7bit", body));
        assertThat(copy.charset()).contains("Shift_JIS");
        assertThat(copy.transferEncoding()).isEqualTo("8bit");
        assertThat(copy.body()).isEqualTo(body);
        assertThat(TextBody.decode(copy)).isEqualTo(TEXT);
    }

    @Test
    void eightBitTextWithoutALabelOrUnderUsAsciiGetsTheDetectedLabel() {
        for (Charset cs : new Charset[]{StandardCharsets.UTF_8, Charsets.EUC_JP}) {
            byte[] body = ("北本市の市民活動センターからのお知らせです。来週の会議は中止です。\r\n").repeat(3).getBytes(cs);
            MimeEntity unlabelled = relabelled(message(null, null, body));
            assertThat(unlabelled.charset()).as(cs.name()).contains(Charsets.mimeLabel(cs));
            MimeEntity ascii = relabelled(message("text/plain; charset=us-ascii", null, body));
            assertThat(ascii.charset()).as(cs.name()).contains(Charsets.mimeLabel(cs));
            assertThat(ascii.body()).isEqualTo(body);
        }
    }

    @Test
    void aTrueLabelAndSevenBitTextAreLeftByteForByte() {
        byte[] jis = message("text/plain; charset=ISO-2022-JP", "7bit", TEXT.getBytes(Charsets.ISO_2022_JP_MS));
        PostDraft draft = Drafts.draft(jis);
        new CharsetLabelStep().apply(draft);
        assertThat(draft.message().toBytes()).isEqualTo(jis);
        byte[] ascii = message("text/plain; charset=us-ascii", null, "plain ascii\r\n".getBytes(StandardCharsets.US_ASCII));
        PostDraft asciiDraft = Drafts.draft(ascii);
        new CharsetLabelStep().apply(asciiDraft);
        assertThat(asciiDraft.message().toBytes()).isEqualTo(ascii);
    }
}
