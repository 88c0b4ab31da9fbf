package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.testing.TestMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectPrefixStepTest {
    private static String subjectAfter(String rawSubject) {
        PostDraft d = Drafts.draft(TestMessages.crlf("From: a@example.jp\nSubject: " + rawSubject + "\n\nbody\n"));
        new SubjectPrefixStep().apply(d);
        return d.message().rawValue("Subject").orElseThrow();
    }

    private static String b(String charset, String text) {
        return "=?" + charset + "?B?" + Base64.getEncoder().encodeToString(text.getBytes(
                charset.equals("ISO-2022-JP") ? jp.kitamoto.lists.mime.Charsets.ISO_2022_JP_MS : StandardCharsets.UTF_8))
                + "?=";
    }

    @Test
    void foldedEncodedWordsAreKeptByteForByte() {
        String folded = b("ISO-2022-JP", "北本市文化協会") + "\r\n " + b("ISO-2022-JP", "定例会のお知らせ");
        String after = subjectAfter(folded);
        assertThat(after).startsWith("[bunka:00042] ");
        assertThat(after.replaceAll("\\s+", " ")).endsWith(folded.replaceAll("\\s+", " "));
        assertThat(HeaderWords.decode(after)).isEqualTo("[bunka:00042] 北本市文化協会定例会のお知らせ");
    }

    @Test
    void replyChainsCollapse() {
        assertThat(HeaderWords.decode(subjectAfter("Re: [bunka:00041] Re: " + b("UTF-8", "会議"))))
                .isEqualTo("[bunka:00042] Re: 会議");
        assertThat(HeaderWords.decode(subjectAfter("RE: Re[2]: [bunka,00040] " + b("UTF-8", "会議"))))
                .isEqualTo("[bunka:00042] Re: 会議");
        assertThat(HeaderWords.decode(subjectAfter("Fwd: " + b("UTF-8", "会議"))))
                .as("a forward is a new topic").isEqualTo("[bunka:00042] Fwd: 会議");
    }

    @Test
    void markersInsideAnEncodedWordAreRemovedAndTheRestKeepsItsCharset() {
        String after = subjectAfter(b("ISO-2022-JP", "Re: [bunka:00041] 会議①"));
        assertThat(HeaderWords.decode(after)).isEqualTo("[bunka:00042] Re: 会議①");
        assertThat(after).startsWith("[bunka:00042] Re: =?ISO-2022-JP?B?");
    }

    @Test
    void qEncodedAndHalfWidthKanaSubjects() {
        assertThat(HeaderWords.decode(subjectAfter("=?UTF-8?Q?Re:_=E4=BC=9A=E5=A0=B4?=")))
                .isEqualTo("[bunka:00042] Re: 会場");
        assertThat(HeaderWords.decode(subjectAfter(b("UTF-8", "ｶﾗｵｹ大会")))).isEqualTo("[bunka:00042] ｶﾗｵｹ大会");
    }

    @Test
    void rawShiftJisSubjectIsEncoded() {
        byte[] sjis = "Re: 会議①".getBytes(jp.kitamoto.lists.mime.Charsets.WINDOWS_31J);
        String after = subjectAfter(new String(sjis, StandardCharsets.ISO_8859_1));
        assertThat(after).startsWith("[bunka:00042] Re: =?UTF-8?B?").matches("\\p{ASCII}*");
        assertThat(HeaderWords.decode(after)).isEqualTo("[bunka:00042] Re: 会議①");
    }

    @Test
    void aMissingSubjectGetsTheTagAlone() {
        PostDraft d = Drafts.draft(TestMessages.crlf("From: a@example.jp\n\nbody\n"));
        new SubjectPrefixStep().apply(d);
        assertThat(d.message().rawValue("Subject")).hasValue("[bunka:00042]");
    }
}
