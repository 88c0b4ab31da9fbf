package jp.kitamoto.lists.mime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages as sloppy mailers send them are read the way an MTA reads them, and each forgiveness is recorded. */
class LiberalParsingTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anMboxFromLineInFrontOfTheHeadersIsDroppedAndRecorded() {
        MimeEntity m = MimeEntity.parse(bytes("From MAILER-DAEMON Fri Apr 06 16:46:09 2001\r\n"
                + "From: a@example.jp\r\nSubject: s\r\n\r\nbody\r\n"));
        assertThat(m.rawValue("From")).contains("a@example.jp");
        assertThat(m.rawValue("Subject")).contains("s");
        assertThat(new String(m.toBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("From: a@example.jp\r\nSubject: s\r\n\r\nbody\r\n");
        assertThat(m.defects()).singleElement().asString().contains("mbox From line");
    }

    @Test
    void aHeaderSectionWithoutItsBlankLineEndsAtTheFirstLineThatIsNoField() {
        MimeEntity m = MimeEntity.parse(bytes("From: a@example.jp\r\nSubject: s\r\n"
                + "counter to RFC 2822, there's no separating newline here\r\nsecond line\r\n"));
        assertThat(m.headers()).extracting(HeaderField::name).containsExactly("From", "Subject");
        assertThat(new String(m.body(), StandardCharsets.ISO_8859_1))
                .isEqualTo("counter to RFC 2822, there's no separating newline here\r\nsecond line\r\n");
        assertThat(new String(m.toBytes(), StandardCharsets.ISO_8859_1)).as("written back with the blank line")
                .isEqualTo("From: a@example.jp\r\nSubject: s\r\n\r\n"
                        + "counter to RFC 2822, there's no separating newline here\r\nsecond line\r\n");
        assertThat(m.defects()).singleElement().asString().contains("without a blank line");
    }

    @Test
    void textWithNoHeaderFieldAtAllIsReadAsABody() {
        MimeEntity m = MimeEntity.parse(bytes("Send Ppp mailing list submissions to\r\n\tppp@zzz.org\r\n\r\nhello\r\n"));
        assertThat(m.headers()).isEmpty();
        assertThat(new String(m.body(), StandardCharsets.ISO_8859_1)).startsWith("Send Ppp mailing list");
        assertThat(m.defects()).singleElement().asString().contains("no header section");
        MimeEntity continuationFirst = MimeEntity.parse(bytes(" folded\r\nSubject: x\r\n\r\nbody\r\n"));
        assertThat(continuationFirst.headers()).isEmpty();
        assertThat(continuationFirst.defects()).hasSize(1);
    }

    @Test
    void aWellFormedMessageHasNoDefectsAndOnlyAnEmptyOneIsRefused() {
        assertThat(MimeEntity.parse(bytes("From: a@example.jp\r\n\r\nx\r\n")).defects()).isEmpty();
        assertThat(MimeEntity.parse(bytes("From a@example.jp\r\n")).defects())
                .as("a lone 'From ' line is not an mbox separator in front of anything").isNotEmpty();
        assertThatThrownBy(() -> MimeEntity.parse(new byte[0])).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void eightBitTextUnderAnIso2022JpLabelIsDetectedNotTrusted() {
        byte[] sjis = "北本市①".getBytes(Charsets.WINDOWS_31J);
        assertThat(Charsets.forText("ISO-2022-JP", sjis)).isEqualTo(Charsets.WINDOWS_31J);
        byte[] jis = "北本市".getBytes(Charsets.ISO_2022_JP_MS);
        assertThat(Charsets.forText("ISO-2022-JP", jis)).as("a true label stays trusted")
                .isEqualTo(Charsets.ISO_2022_JP_MS);
        assertThat(Charsets.forText("UTF-8", "北本".getBytes(StandardCharsets.UTF_8))).isEqualTo(StandardCharsets.UTF_8);
    }
}
