package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.text.Texts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored post of any shape gets a page: what fits within the bounds is shown, and the page says what is not. */
class MessageViewLimitsTest {

    private static byte[] nested(int depth) {
        StringBuilder s = new StringBuilder("From: a@example.jp\r\nSubject: nested\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            s.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i)
                    .append("\r\n");
        }
        s.append("Content-Type: text/plain; charset=UTF-8\r\n\r\n深い入れ子\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            s.append("--b").append(i).append("--\r\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manyParts(int parts) {
        StringBuilder s = new StringBuilder("From: a@example.jp\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            s.append("--p\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n部分 ").append(i).append("\r\n");
        }
        return s.append("--p--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPostNested5000DeepGetsAPageWithANote() {
        MessageView view = MessageView.parse(nested(5000), true);
        assertThat(view.subject()).isEqualTo("nested");
        assertThat(view.limits().note(Texts.japanese())).contains("入れ子");
        assertThat(view.limits().note(Texts.of(Texts.ENGLISH))).contains("nested deeper than 20 levels")
                .doesNotContainPattern("[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}]");
    }

    @Test
    void aPostWithinTheBoundsIsShownWholeWithoutANote() {
        MessageView view = MessageView.parse(nested(5), true);
        assertThat(view.textBody()).contains("深い入れ子");
        assertThat(view.limits().note(Texts.japanese())).isEmpty();
    }

    @Test
    void aPostWith20000PartsShowsTheFirstPartsAndSaysHowManyAreLeft() {
        MessageView view = MessageView.parse(manyParts(20_000), true);
        assertThat(view.textBody()).isEqualTo("部分 0");
        assertThat(view.attachments()).hasSizeLessThanOrEqualTo(MessageView.MAX_PARTS);
        assertThat(view.limits().note(Texts.japanese())).contains("200個を超える部分");
        assertThat(view.limits().note(Texts.of(Texts.ENGLISH))).contains("parts beyond the first 200");
        assertThat(MessageView.attachment(manyParts(20_000), 3)).isPresent();
    }

    @Test
    void anOverlongTextIsCutWithANote() {
        String line = "長い本文です。".repeat(100) + "\r\n";
        byte[] post = ("From: a@example.jp\r\nSubject: long\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + line.repeat(1000)).getBytes(StandardCharsets.UTF_8);
        MessageView view = MessageView.parse(post, true);
        assertThat(view.textBody()).hasSize(MessageView.MAX_TEXT_CHARS);
        assertThat(view.limits().note(Texts.japanese())).contains("長すぎる本文");
        assertThat(view.limits().note(Texts.of(Texts.ENGLISH))).contains("the rest of an overlong text");
    }
}
