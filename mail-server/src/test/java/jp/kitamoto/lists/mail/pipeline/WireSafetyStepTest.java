package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Copies leave legal on the wire (RFC 5322 section 2.1.1), with every character of the author's text. */
class WireSafetyStepTest {
    private static final String LONG_JAPANESE = "北本市の市民活動について、".repeat(200); // 2,600 bytes in UTF-8

    private static byte[] message(String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headers.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static MimeEntity run(byte[] message) {
        PostDraft draft = Drafts.draft(message);
        new WireSafetyStep().apply(draft);
        return MimeEntity.parse(draft.message().toBytes());
    }

    private static int longestLine(byte[] b) {
        int longest = 0;
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                longest = Math.max(longest, i - start);
                start = i + 1;
            }
        }
        return Math.max(longest, b.length - start);
    }

    @Test
    void aLongEightBitUtf8LineBecomesBase64WithEveryCharacterKept() {
        byte[] body = (LONG_JAPANESE + "\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(longestLine(body)).isGreaterThan(998);
        MimeEntity copy = run(message("From: a@example.jp\nSubject: long\nContent-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n", body));
        assertThat(copy.transferEncoding()).isEqualTo("base64");
        assertThat(copy.charset()).contains("UTF-8");
        assertThat(longestLine(copy.toBytes())).isLessThanOrEqualTo(998);
        assertThat(TextBody.decode(copy)).isEqualTo(LONG_JAPANESE + "\r\n");
    }

    @Test
    void aLongAsciiLineBecomesQuotedPrintable() {
        String text = "word ".repeat(500) + "\r\nsecond line\r\n";
        MimeEntity copy = run(message("From: a@example.jp\nSubject: long\n",
                text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(copy.transferEncoding()).isEqualTo("quoted-printable");
        assertThat(longestLine(copy.toBytes())).isLessThanOrEqualTo(998);
        assertThat(TextBody.decode(copy)).isEqualTo(text);
    }

    @Test
    void iso2022JpTextWithALongLineIsBase64SoNoEscapeSequenceIsCut() {
        String text = "市民活動センター".repeat(150);
        byte[] body = (text + "\r\n").getBytes(Charsets.ISO_2022_JP_MS);
        assertThat(longestLine(body)).isGreaterThan(998);
        MimeEntity copy = run(message("From: a@example.jp\nContent-Type: text/plain; charset=ISO-2022-JP\n", body));
        assertThat(copy.transferEncoding()).isEqualTo("base64");
        assertThat(copy.charset()).contains("ISO-2022-JP");
        assertThat(TextBody.decode(copy)).isEqualTo(text + "\r\n");
    }

    @Test
    void nulAndBareCrAreReencodedAndTheBytesSurvive() {
        byte[] body = "a\u0000b\rc\r\n".getBytes(StandardCharsets.US_ASCII);
        MimeEntity copy = run(message("From: a@example.jp\nContent-Type: application/octet-stream\n"
                + "Content-Transfer-Encoding: binary\n", body));
        assertThat(copy.transferEncoding()).isEqualTo("base64");
        assertThat(TextBody.decodedBytes(copy)).isEqualTo(body);
    }

    @Test
    void aLegalPartIsLeftByteForByteAndBareLfTextGetsCrlf() {
        byte[] legal = message("From: a@example.jp\nSubject: ok\nContent-Type: text/plain; charset=UTF-8\n"
                + "Content-Transfer-Encoding: 8bit\n", "短い行です。\r\n".getBytes(StandardCharsets.UTF_8));
        PostDraft draft = Drafts.draft(legal);
        new WireSafetyStep().apply(draft);
        assertThat(draft.message().toBytes()).isEqualTo(legal);

        MimeEntity unix = run(message("From: a@example.jp\n", "one\ntwo\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(unix.body(), StandardCharsets.US_ASCII)).isEqualTo("one\r\ntwo\r\n");
        assertThat(unix.transferEncoding()).isEqualTo("7bit");
    }

    @Test
    void onlyTheOffendingPartOfAMultipartIsReencoded() {
        String mixed = "From: a@example.jp\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
                + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n短い\n--b\n"
                + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n" + LONG_JAPANESE
                + "\n--b--\n";
        MimeEntity copy = run(mixed.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(copy.parts().get(0).transferEncoding()).isEqualTo("8bit");
        assertThat(copy.parts().get(1).transferEncoding()).isEqualTo("base64");
        assertThat(TextBody.decode(copy.parts().get(1))).isEqualTo(LONG_JAPANESE);
        assertThat(longestLine(copy.toBytes())).isLessThanOrEqualTo(998);
    }

    @Test
    void aSignedPartIsNotReencodedAndOnlyTheLastResortFoldsItWhenItIsNotLegal() {
        String signed = "From: a@example.jp\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " boundary=\"s\"\n\n--s\nContent-Type: text/plain; charset=UTF-8\n\n" + LONG_JAPANESE
                + "\n--s\nContent-Type: application/pkcs7-signature\nContent-Transfer-Encoding: base64\n\nMIAG\n--s--\n";
        byte[] bytes = signed.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        PostDraft draft = Drafts.draft(bytes);
        new WireSafetyStep().apply(draft);
        assertThat(draft.message().toBytes()).as("never re-encoded: that would break a legal signature")
                .isEqualTo(bytes);
        byte[] copy = WireSafetyStep.lastResort(bytes, true, "<t@example.jp>");
        assertThat(longestLine(copy)).as("a relay would refuse or cut it anyway").isLessThanOrEqualTo(998);
        byte[] legal = ("From: a@example.jp\r\nContent-Type: multipart/signed; boundary=\"s\"\r\n\r\n--s\r\n\r\nok\r\n"
                + "--s--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(WireSafetyStep.lastResort(legal, true, "<t@example.jp>")).isSameAs(legal);
    }

    @Test
    void aHeaderFieldOverTheLimitIsFoldedAndANulInItDropped() {
        String words = "word ".repeat(400).trim();
        byte[] message = ("From: a@example.jp\r\nSubject: long\r\nX-Long: " + words + "\r\nX-Nul: a\u0000b\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        PostDraft draft = Drafts.draft(message);
        byte[] copy = Pipeline.standard().run(draft);
        assertThat(longestLine(copy)).isLessThanOrEqualTo(998);
        MimeEntity parsed = MimeEntity.parse(copy);
        assertThat(parsed.rawValue("X-Long").orElseThrow().replaceAll("\\s+", " ").trim()).isEqualTo(words);
        assertThat(parsed.rawValue("X-Nul").orElseThrow().trim()).isEqualTo("ab");
        assertThat(new String(parsed.body(), StandardCharsets.US_ASCII)).startsWith("body");
    }

    @Test
    void aRunWithoutBlanksIsFoldedHardAndBase64SurvivesIt() {
        byte[] data = new byte[3000];
        new java.util.Random(1).nextBytes(data);
        String b64 = java.util.Base64.getEncoder().encodeToString(data); // one 4,000-character line
        byte[] message = ("From: a@example.jp\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] copy = Pipeline.standard().run(Drafts.draft(message));
        assertThat(longestLine(copy)).isLessThanOrEqualTo(998);
        assertThat(TextBody.decodedBytes(MimeEntity.parse(copy))).isEqualTo(data);
    }
}
