package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.MimeEntity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParsedMessageTest {
    private static final byte[] RAW = ("From: 山田 <yamada@example.jp>\r\nSubject: =?UTF-8?B?5pys5paH?=\r\n"
            + "Message-ID: <1@example.jp>\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void firstDecorationShouldTakeTheParsedTreeAndEveryFurtherOneAFreshTree() {
        ParsedMessage message = ParsedMessage.parse(RAW);
        MimeEntity read = message.tree();

        MimeEntity first = message.treeToDecorate();
        first.addHeader(HeaderField.of("List-Id", "<bunka.ml.example.jp>"));
        MimeEntity second = message.treeToDecorate();

        assertThat(first).isSameAs(read);
        assertThat(second).isNotSameAs(first);
        assertThat(second.headers("List-Id")).isEmpty();
    }

    @Test
    void readingTheTreeAfterItWasHandedToThePipelineShouldFailLoudly() {
        ParsedMessage message = ParsedMessage.parse(RAW);
        message.treeToDecorate();

        assertThatThrownBy(message::tree).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordedValuesShouldBeThoseAsReceivedEvenAfterDecoration() {
        ParsedMessage message = ParsedMessage.parse(RAW);
        message.treeToDecorate().setHeader(HeaderField.of("Subject", "[bunka:00001] changed"));

        assertThat(message.subject()).isEqualTo("本文");
        assertThat(message.messageId()).contains("<1@example.jp>");
        assertThat(message.fromAddress()).contains("yamada@example.jp");
    }
}
