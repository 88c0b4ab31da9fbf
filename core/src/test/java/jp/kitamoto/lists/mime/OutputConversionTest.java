package jp.kitamoto.lists.mime;

import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.testing.TestMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class OutputConversionTest {
    private static final String UTF8_SUBJECT = "=?UTF-8?B?" + Base64.getEncoder()
            .encodeToString("会議①ｶﾗｵｹ".getBytes(StandardCharsets.UTF_8)) + "?=";

    @Test
    void utf8TextBecomesIso2022jpWithMicrosoftCharactersAndWidenedKana() {
        byte[] raw = TestMessages.message("""
                From: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>
                Subject: [bunka:00042] Re:\s""" + UTF8_SUBJECT + """

                MIME-Version: 1.0
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: 8bit
                """, "①㈱髙橋様 ｶﾞｲﾄﾞ\n", StandardCharsets.UTF_8);
        MimeEntity m = MimeEntity.parse(raw);

        OutputConversion.convert(m, OutputCharset.ISO_2022_JP);

        assertThat(TestMessages.isSevenBit(m.toBytes())).as("ISO-2022-JP copies are 7bit").isTrue();
        assertThat(m.charset()).hasValue("ISO-2022-JP");
        assertThat(m.transferEncoding()).isEqualTo("7bit");
        assertThat(TextBody.decode(m)).isEqualTo("①㈱髙橋様 ガイド\r\n");
        String subject = m.rawValue("Subject").orElseThrow();
        assertThat(subject).as("the list tag stays plain text").startsWith("[bunka:00042] Re: =?ISO-2022-JP?B?");
        assertThat(HeaderWords.decode(subject)).isEqualTo("[bunka:00042] Re: 会議①カラオケ");
        assertThat(m.rawValue("From").orElseThrow()).startsWith("=?ISO-2022-JP?B?").endsWith("<yamada@example.jp>");
        assertThat(HeaderWords.decode(m.rawValue("From").orElseThrow())).isEqualTo("山田 <yamada@example.jp>");
    }

    @Test
    void textThatDoesNotFitIso2022jpKeepsItsBytes() {
        byte[] raw = TestMessages.message("""
                Subject: =?UTF-8?B?""" + Base64.getEncoder().encodeToString("祝🎉".getBytes(StandardCharsets.UTF_8)) + """
                ?=
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: 8bit
                """, "おめでとう🎉\n", StandardCharsets.UTF_8);
        MimeEntity m = MimeEntity.parse(raw);

        OutputConversion.convert(m, OutputCharset.ISO_2022_JP);

        assertThat(m.toBytes()).isEqualTo(raw);
    }

    @Test
    void iso2022jpBecomesUtf8InBase64AndHtmlMetaFollows() {
        byte[] raw = TestMessages.crlf("""
                Subject: =?ISO-2022-JP?B?GyRCNUQ7dk8/GyhC?=
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: multipart/alternative; boundary="b2"

                --b2
                Content-Type: text/plain; charset=ISO-2022-JP
                Content-Transfer-Encoding: 7bit

                \u001b$B5D;vO?\u001b(B
                --b2
                Content-Type: text/html; charset=iso-2022-jp

                <html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-2022-jp"></head><body>\u001b$B5D;vO?\u001b(B</body></html>
                --b2--
                --b1
                Content-Type: application/pdf; name="a.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --b1--
                """);
        MimeEntity m = MimeEntity.parse(raw);
        byte[] attachment = m.parts().get(1).toBytes();

        OutputConversion.convert(m, OutputCharset.UTF_8);

        MimeEntity plain = m.parts().get(0).parts().get(0);
        MimeEntity html = m.parts().get(0).parts().get(1);
        assertThat(plain.charset()).hasValue("UTF-8");
        assertThat(plain.transferEncoding()).isEqualTo("base64");
        assertThat(TextBody.decode(plain)).as("the CRLF before a boundary belongs to the boundary").isEqualTo("議事録");
        assertThat(TextBody.decode(html)).contains("charset=UTF-8\"").contains("<body>議事録</body>");
        assertThat(m.parts().get(1).toBytes()).as("attachment untouched").isEqualTo(attachment);
        assertThat(m.rawValue("Subject").orElseThrow()).startsWith("=?UTF-8?B?");
        assertThat(HeaderWords.decode(m.rawValue("Subject").orElseThrow())).isEqualTo("議事録");
    }

    @Test
    void keepAndSignedMailAreNeverTouched() {
        byte[] raw = TestMessages.crlf("""
                Subject: =?ISO-2022-JP?B?GyRCNUQ7dk8/GyhC?=
                Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="s"

                --s
                Content-Type: text/plain; charset=ISO-2022-JP

                \u001b$B5D;vO?\u001b(B
                --s
                Content-Type: application/pkcs7-signature; name="smime.p7s"
                Content-Transfer-Encoding: base64

                MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIDXzCCAke
                --s--
                """);
        MimeEntity keep = MimeEntity.parse(raw);
        OutputConversion.convert(keep, OutputCharset.KEEP);
        assertThat(keep.toBytes()).isEqualTo(raw);

        MimeEntity signed = MimeEntity.parse(raw);
        OutputConversion.convert(signed, OutputCharset.UTF_8);
        assertThat(signed.body()).as("the signed body").isEqualTo(MimeEntity.parse(raw).body());
        assertThat(signed.rawValue("Subject").orElseThrow()).as("headers are outside the signature").startsWith("=?UTF-8?");
    }

    @Test
    void plainMailForAnIso2022jpListIsWrittenInIso2022jp() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        PlainMail mail = PlainMail.automatic("bunka-request@ml.example.jp", "北本市文化協会", "taro..yamada.@docomo.ne.jp",
                "【登録確認】北本市文化協会①", "次のページで登録を確定してください。\nｶﾀｶﾅ\n", "ml.example.jp");

        byte[] iso = mail.toBytes(clock, OutputCharset.ISO_2022_JP);
        MimeEntity m = MimeEntity.parse(iso);

        assertThat(TestMessages.isSevenBit(iso)).isTrue();
        assertThat(m.charset().orElseThrow()).isEqualToIgnoringCase("ISO-2022-JP");
        assertThat(TextBody.decode(m).replace("\r\n", "\n")).isEqualTo("次のページで登録を確定してください。\nカタカナ\n");
        assertThat(m.rawValue("Subject").orElseThrow()).startsWith("=?ISO-2022-JP?B?");
        assertThat(HeaderWords.decode(m.rawValue("Subject").orElseThrow())).isEqualTo("【登録確認】北本市文化協会①");
        assertThat(HeaderWords.decode(m.rawValue("From").orElseThrow())).contains("北本市文化協会");
        assertThat(m.rawValue("From").orElseThrow()).contains("=?ISO-2022-JP?B?");

        MimeEntity utf8 = MimeEntity.parse(mail.toBytes(clock, OutputCharset.KEEP));
        assertThat(utf8.charset().orElseThrow()).isEqualToIgnoringCase("UTF-8");
    }

    @Test
    void halfWidthKanaAreWidenedAndNothingElse() {
        assertThat(OutputConversion.widenHalfwidthKana("ｶﾞｲﾄﾞ①１ABC")).isEqualTo("ガイド①１ABC");
    }
}
