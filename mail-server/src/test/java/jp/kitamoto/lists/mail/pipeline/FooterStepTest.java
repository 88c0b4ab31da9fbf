package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.testing.TestMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FooterStepTest {
    private static final String FOOTER_LINE = "配信停止・設定変更: https://lists.example.jp/lists/bunka/unsubscribe";
    private static final String MEMBER_PAGE_LINE = "配信の一時停止・まとめ読み・登録の確認（会員ページ）: https://lists.example.jp/me";

    private static MimeEntity footed(byte[] message) {
        PostDraft d = Drafts.draft(message);
        new FooterStep().apply(d);
        return MimeEntity.parse(d.message().toBytes());
    }

    @Test
    void iso2022jpTextKeepsItsCharsetWhenTheFooterFits() {
        MimeEntity m = footed(TestMessages.message("""
                Content-Type: text/plain; charset=ISO-2022-JP
                Content-Transfer-Encoding: 7bit
                """, "①㈱髙橋です。\n", Charsets.ISO_2022_JP_MS));
        assertThat(m.charset()).hasValue("ISO-2022-JP");
        assertThat(m.transferEncoding()).isEqualTo("7bit");
        assertThat(TextBody.decode(m)).startsWith("①㈱髙橋です。\r\n-- \r\n北本市文化協会 <bunka@ml.example.jp>\r\n")
                .contains(FOOTER_LINE);
    }

    @Test
    void iso2022jpTextBecomesUtf8WhenTheFooterDoesNotFit() {
        PostDraft d = Drafts.draft(TestMessages.message("""
                Content-Type: text/plain; charset=ISO-2022-JP
                Content-Transfer-Encoding: 7bit
                """, "定例会です。\n", Charsets.ISO_2022_JP_MS),
                Drafts.list("-- \n🌸 {list_name}\n", OutputCharset.KEEP, SignedFooter.OMIT));
        new FooterStep().apply(d);
        MimeEntity m = d.message();
        assertThat(m.charset()).hasValue("UTF-8");
        assertThat(TextBody.decode(m)).isEqualTo("定例会です。\r\n-- \r\n🌸 北本市文化協会\r\n" + MEMBER_PAGE_LINE + "\r\n");
    }

    @Test
    void everyFooterEndsWithTheMembersPageLineEvenAListsOwnFooter() {
        // A list's own footer without a trailing newline, and the standard one: both lead to /me (#12).
        PostDraft own = Drafts.draft(TestMessages.message("Content-Type: text/plain; charset=UTF-8\n", "本文\n",
                java.nio.charset.StandardCharsets.UTF_8), Drafts.list("-- \n{list_name}", OutputCharset.KEEP,
                SignedFooter.OMIT));
        new FooterStep().apply(own);
        assertThat(TextBody.decode(own.message())).endsWith("-- \r\n北本市文化協会\r\n" + MEMBER_PAGE_LINE + "\r\n");
        MimeEntity standard = footed(TestMessages.message("Content-Type: text/plain; charset=UTF-8\n", "本文\n",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(TextBody.decode(standard)).contains(FOOTER_LINE).endsWith(MEMBER_PAGE_LINE + "\r\n");
    }

    @Test
    void windows31jAndQuotedPrintableAndBase64KeepTheirEncoding() {
        MimeEntity sjis = footed(TestMessages.message("""
                Content-Type: text/plain; charset=Shift_JIS
                Content-Transfer-Encoding: 8bit
                """, "髙橋です①\n", Charsets.WINDOWS_31J));
        assertThat(sjis.charset()).hasValue("Shift_JIS");
        assertThat(TextBody.decode(sjis)).startsWith("髙橋です①\r\n-- \r\n").contains(FOOTER_LINE);

        MimeEntity qp = footed(TestMessages.crlf("""
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: quoted-printable

                =E7=9A=86=E6=A7=98
                """));
        assertThat(qp.transferEncoding()).isEqualTo("quoted-printable");
        assertThat(new String(qp.body(), StandardCharsets.ISO_8859_1)).matches("[\\x20-\\x7e\\r\\n]*");
        assertThat(TextBody.decode(qp)).startsWith("皆様\r\n-- \r\n").contains(FOOTER_LINE);

        MimeEntity b64 = footed(TestMessages.crlf("""
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: base64

                55qG5qeYCg==
                """));
        assertThat(b64.transferEncoding()).isEqualTo("base64");
        assertThat(TextBody.decode(b64)).startsWith("皆様\n-- \n").contains(FOOTER_LINE);
    }

    @Test
    void flowedTextGetsAFooterOfHardLines() {
        MimeEntity m = footed(TestMessages.message("""
                Content-Type: text/plain; charset=UTF-8; format=flowed
                Content-Transfer-Encoding: 8bit
                """, "長い文章は \n折り返して送ります。", StandardCharsets.UTF_8));
        String text = TextBody.decode(m);
        assertThat(text).startsWith("長い文章は \r\n折り返して送ります。\r\n-- \r\n");
        text.substring(text.indexOf("-- \r\n") + 5).lines()
                .forEach(line -> assertThat(line).as("footer line").doesNotEndWith(" "));
    }

    @Test
    void alternativeGetsTheFooterInBothPartsAndTheHtmlOneEscapedBeforeBody() {
        MimeEntity m = footed(TestMessages.crlf("""
                Content-Type: multipart/alternative; boundary="a"

                --a
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: base64

                55qG5qeYCg==
                --a
                Content-Type: text/html; charset=UTF-8
                Content-Transfer-Encoding: base64

                PGh0bWw+PGJvZHk+PHA+55qG5qeYPC9wPjwvYm9keT48L2h0bWw+Cg==
                --a--
                """));
        assertThat(TextBody.decode(m.parts().get(0))).contains(FOOTER_LINE);
        String html = TextBody.decode(m.parts().get(1));
        assertThat(html).contains("北本市文化協会 &lt;bunka@ml.example.jp&gt;").doesNotContain("<bunka@");
        assertThat(html.indexOf(FOOTER_LINE)).isPositive().isLessThan(html.indexOf("</body>"));
    }

    @Test
    void mixedGetsTheFooterInTheFirstTextPartAndAttachmentsStayByteIdentical() {
        byte[] raw = TestMessages.crlf("""
                Content-Type: multipart/mixed; boundary="m"

                --m
                Content-Type: text/plain; charset=ISO-2022-JP

                \u001b$B5D;vO?\u001b(B
                --m
                Content-Type: text/plain; name="notes.txt"
                Content-Disposition: attachment; filename="notes.txt"

                attached text, not for the footer
                --m
                Content-Type: application/pdf; name="a.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --m--
                """);
        MimeEntity before = MimeEntity.parse(raw);
        MimeEntity m = footed(raw);
        assertThat(TextBody.decode(m.parts().get(0))).startsWith("議事録").contains(FOOTER_LINE);
        assertThat(m.parts().get(1).toBytes()).isEqualTo(before.parts().get(1).toBytes());
        assertThat(m.parts().get(2).toBytes()).isEqualTo(before.parts().get(2).toBytes());
    }

    private static final byte[] SIGNED = TestMessages.crlf("""
            Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="s"

            --s
            Content-Type: text/plain; charset=UTF-8

            signed text
            --s
            Content-Type: application/pgp-signature

            -----BEGIN PGP SIGNATURE-----
            iQEzBAEBCAAdFiEE
            -----END PGP SIGNATURE-----
            --s--
            """);

    @Test
    void signedMailIsNeverTouchedAndTheFooterIsLeftOutByDefault() {
        PostDraft d = Drafts.draft(SIGNED);
        new FooterStep().apply(d);
        assertThat(d.message().toBytes()).isEqualTo(SIGNED);
    }

    @Test
    void signedMailGetsTheFooterAsASeparatePartWhenTheListSaysSo() {
        PostDraft d = Drafts.draft(SIGNED, Drafts.list("", OutputCharset.KEEP, SignedFooter.SEPARATE_PART));
        new FooterStep().apply(d);
        MimeEntity m = MimeEntity.parse(d.message().toBytes());
        assertThat(m.mimeType()).isEqualTo("multipart/mixed");
        assertThat(m.parts().get(0).body()).isEqualTo(MimeEntity.parse(SIGNED).body());
        assertThat(m.parts().get(0).rawValue("Content-Type")).isEqualTo(MimeEntity.parse(SIGNED).rawValue("Content-Type"));
        assertThat(TextBody.decode(m.parts().get(1))).contains(FOOTER_LINE);
    }
}
