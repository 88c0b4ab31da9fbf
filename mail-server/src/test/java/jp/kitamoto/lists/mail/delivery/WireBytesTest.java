package jp.kitamoto.lists.mail.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WireBytesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareLineEndsBecomeCrlfAndTheBytesEndWithOne() {
        assertThat(s(WireBytes.crlf(b("a\nb\rc\r\nd")))).isEqualTo("a\r\nb\r\nc\r\nd\r\n");
        byte[] clean = b("a\r\nb\r\n");
        assertThat(WireBytes.crlf(clean)).isSameAs(clean);
        assertThat(WireBytes.crlf(new byte[0])).isEmpty();
    }

    @Test
    void aDotAtTheStartOfALineIsDoubledAndNowhereElse() {
        assertThat(s(WireBytes.dotStuff(b(".a\r\nb.c\r\n.\r\n..\r\n")))).isEqualTo("..a\r\nb.c\r\n..\r\n...\r\n");
        byte[] none = b("a.b\r\n");
        assertThat(WireBytes.dotStuff(none)).isSameAs(none);
    }
}
