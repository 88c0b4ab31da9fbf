package jp.kitamoto.lists.mime;

import jp.kitamoto.lists.testing.TestMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MimeEntityTest {
    private static final byte[] SIGNED = TestMessages.crlf("""
            From: a@example.jp
            Subject: signed
            MIME-Version: 1.0
            Content-Type: multipart/signed; protocol="application/pkcs7-signature";
             micalg=sha-256; boundary="s"

            preamble
            --s
            Content-Type: text/plain; charset=ISO-2022-JP

            \u001b$B=pL>\u001b(B

            --s
            Content-Type: application/pkcs7-signature; name="smime.p7s"
            Content-Transfer-Encoding: base64

            MIAGCSqGSIb3DQEHAqCAMIACAQEx
            --s--

            epilogue
            """);

    @Test
    void parseAndWriteIsByteIdentical() {
        assertThat(MimeEntity.parse(SIGNED).toBytes()).isEqualTo(SIGNED);
        byte[] lf = "Subject: x\n\nbody\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MimeEntity.parse(lf).toBytes()).isEqualTo(lf);
    }

    @Test
    void changingAHeaderLeavesTheBodyBytes() {
        MimeEntity m = MimeEntity.parse(SIGNED);
        byte[] body = m.body();
        m.setHeader(HeaderField.of("Subject", "[bunka:00001] signed"));
        assertThat(m.body()).isEqualTo(body);
        assertThat(new String(m.toBytes(), StandardCharsets.ISO_8859_1)).contains("Subject: [bunka:00001] signed\r\n");
    }

    @Test
    void wrapInMixedKeepsTheSignedEntityByteForByte() {
        MimeEntity m = MimeEntity.parse(SIGNED);
        byte[] body = m.body();
        String contentType = m.rawValue("Content-Type").orElseThrow();

        m.wrapInMixed(TestMessages.crlf("Content-Type: text/plain; charset=UTF-8\n\nfooter\n"), "=_test");
        MimeEntity reparsed = MimeEntity.parse(m.toBytes());

        assertThat(reparsed.mimeType()).isEqualTo("multipart/mixed");
        assertThat(reparsed.rawValue("From")).hasValue("a@example.jp");
        assertThat(reparsed.parts()).hasSize(2);
        MimeEntity signed = reparsed.parts().get(0);
        assertThat(signed.rawValue("Content-Type")).hasValue(contentType);
        assertThat(signed.body()).isEqualTo(body);
        assertThat(TextBody.decode(reparsed.parts().get(1))).isEqualTo("footer\r\n");
    }
}
