package jp.kitamoto.lists.mime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderWordsTest {
    private static final Pattern WORD = Pattern.compile("=\\?[^?\\s]+\\?[BbQq]\\?[^?\\s]*\\?=");

    @Test
    void cp932CharactersLabelledIso2022jpDecode() {
        // ①㈱髙 written by a Windows mail program under the ISO-2022-JP label (NEC row 13 and IBM extension).
        assertThat(HeaderWords.decode("=?ISO-2022-JP?B?GyRCLSEtahsoQg==?=")).isEqualTo("①㈱");
        String encoded = HeaderWords.encode("髙橋", Charsets.ISO_2022_JP_MS);
        assertThat(HeaderWords.decode(encoded)).isEqualTo("髙橋");
    }

    @Test
    void aCharacterSplitAcrossTwoWordsIsJoined() {
        byte[] utf8 = "会議".getBytes(StandardCharsets.UTF_8);
        String first = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(utf8, 4));
        String second = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(utf8, 4, 6));
        assertThat(HeaderWords.decode("=?UTF-8?B?" + first + "?=\r\n =?UTF-8?B?" + second + "?="))
                .isEqualTo("会議");
    }

    @Test
    void qEncodingAndPlainTextAroundWords() {
        assertThat(HeaderWords.decode("Re: =?UTF-8?Q?=E4=BC=9A=E5=A0=B4_=E5=A4=89=E6=9B=B4?= (2)"))
                .isEqualTo("Re: 会場 変更 (2)");
    }

    @Test
    void longTextIsSplitIntoWordsThatEachDecodeAlone() {
        String text = "北本市文化協会令和八年度第三回定例会議事次第および配布資料一覧ならびに次回開催日程調整についてのお知らせ①";
        for (var charset : new java.nio.charset.Charset[]{Charsets.ISO_2022_JP_MS, StandardCharsets.UTF_8}) {
            String encoded = HeaderWords.encode(text, charset);
            assertThat(HeaderWords.decode(encoded)).isEqualTo(text);
            Matcher m = WORD.matcher(encoded);
            int words = 0;
            while (m.find()) {
                words++;
                assertThat(m.group().length()).as("RFC 2047: at most 75 characters").isLessThanOrEqualTo(75);
                assertThat(HeaderWords.decode(m.group())).doesNotContain("\uFFFD");
            }
            assertThat(words).isGreaterThan(1);
        }
    }

    @Test
    void reencodeKeepsTheTextAroundTheWords() {
        String raw = "[bunka:00042] Re: =?UTF-8?B?5Lya6K2w?=";
        Optional<String> iso = HeaderWords.reencode(raw, Charsets.ISO_2022_JP_MS, Optional::of);
        assertThat(iso).hasValueSatisfying(v -> assertThat(v).startsWith("[bunka:00042] Re: =?ISO-2022-JP?B?"));
        assertThat(HeaderWords.decode(iso.orElseThrow())).isEqualTo("[bunka:00042] Re: 会議");
        assertThat(HeaderWords.reencode(raw, StandardCharsets.UTF_8, Optional::of)).as("already UTF-8").isEmpty();
        assertThat(HeaderWords.reencode(raw, Charsets.ISO_2022_JP_MS, t -> Optional.empty())).as("does not fit").isEmpty();
    }

    @Test
    void encodeAfterAsciiPrefixLeavesTheTagPlain() {
        String v = HeaderWords.encodeAfterAsciiPrefix("[bunka:00001] Re: 会議 のお知らせ", StandardCharsets.UTF_8);
        assertThat(v).startsWith("[bunka:00001] Re: =?UTF-8?B?");
        assertThat(HeaderWords.decode(v)).isEqualTo("[bunka:00001] Re: 会議 のお知らせ");
    }

    @Test
    void unlabelledJapaneseTextIsDetected() {
        String text = "北本市文化協会の定例会は、来週の土曜日に公民館で開きます。ご出席ください。";
        assertThat(Charsets.detect(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(StandardCharsets.UTF_8);
        assertThat(Charsets.detect(text.getBytes(Charsets.WINDOWS_31J))).isEqualTo(Charsets.WINDOWS_31J);
        assertThat(new String(text.getBytes(Charsets.ISO_2022_JP_MS), Charsets.detect(text.getBytes(Charsets.ISO_2022_JP_MS))))
                .isEqualTo(text);
        java.nio.charset.Charset euc = java.nio.charset.Charset.forName("EUC-JP");
        assertThat(new String(text.getBytes(euc), Charsets.detect(text.getBytes(euc)))).isEqualTo(text);
    }
}
