package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.schedules.store.DigestRunMapper.DigestedPost;
import jp.kitamoto.lists.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DigestComposerTest {
    static final Instant SIX_PM = LocalDateTime.of(2027, 1, 15, 18, 0).atZone(JapanTime.ZONE).toInstant();

    static MailingList list(OutputCharset output) {
        return new MailingList(7, "bunka", "教育・文化", "", PurposeCategory.GENERAL, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "bunka", "", output, SignedFooter.OMIT,
                FromRewrite.NEVER, 0, 3, ListState.OPEN, 0, 0);
    }

    static final byte[] UTF8_POST = ("From: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
            "山田 太郎".getBytes(StandardCharsets.UTF_8)) + "?= <taro@example.jp>\r\n"
            + "Subject: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
            "[bunka:00001] 定例会".getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "公民館で開きます。\r\n").getBytes(StandardCharsets.UTF_8);
    /** A copy that (against the rule) carries a subscriber's List-Unsubscribe, folded over two lines. */
    static final byte[] PERSONAL_POST = ("From: hanako@example.jp\r\nSubject: [bunka:00002] plain\r\n"
            + "List-Unsubscribe: <https://lists.example/u/secret-token>,\r\n <mailto:bunka-leave+secret-token@x>\r\n"
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nList-Id: bunka <bunka.x>\r\n\r\nhello\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void aDigestIsMultipartDigestWithTheTableOfContentsFirstAndThePostsAsTheyWere() {
        DigestComposer composer = new DigestComposer("ml.example.jp", "https://lists.example", new MovableClock(SIX_PM));
        byte[] bytes = composer.compose(list(OutputCharset.ISO_2022_JP), DigestCadence.DAILY, SIX_PM, List.of(
                new DigestedPost(1, 1, UTF8_POST, SIX_PM.minusSeconds(3600).toEpochMilli()),
                new DigestedPost(2, 2, PERSONAL_POST, SIX_PM.minusSeconds(60).toEpochMilli())));
        MimeEntity digest = MimeEntity.parse(bytes);

        assertThat(digest.mimeType()).isEqualTo("multipart/digest");
        assertThat(digest.transferEncoding()).as("a post has 8-bit text").isEqualTo("8bit");
        assertThat(digest.rawValue("Message-ID")).contains("<digest.daily." + SIX_PM.toEpochMilli()
                + ".bunka@ml.example.jp>");
        assertThat(digest.rawValue("From").orElseThrow()).contains("<bunka-request@ml.example.jp>");
        assertThat(digest.rawValue("Subject").orElseThrow()).startsWith("=?ISO-2022-JP?B?");
        assertThat(HeaderWords.decode(digest.rawValue("Subject").orElseThrow()))
                .isEqualTo("[bunka] 教育・文化 ダイジェスト 令和9年1月15日（金）（2件）");

        MimeEntity toc = digest.parts().get(0);
        assertThat(toc.mimeType()).isEqualTo("text/plain");
        assertThat(toc.charset()).contains("ISO-2022-JP");
        assertThat(toc.transferEncoding()).isEqualTo("7bit");
        assertThat(TextBody.decode(toc)).contains("1. [bunka:00001] 定例会", "差出人: 山田 太郎",
                "日時: 令和9年1月15日（金） 17:00", "2. [bunka:00002] plain", "差出人: hanako@example.jp",
                "https://lists.example/lists/bunka");

        assertThat(digest.parts().get(1).mimeType()).isEqualTo("message/rfc822");
        assertThat(digest.parts().get(1).body()).as("byte for byte").isEqualTo(UTF8_POST);
        assertThat(digest.parts().get(1).rawValue("Content-Transfer-Encoding")).contains("8bit");
        String second = new String(digest.parts().get(2).body(), StandardCharsets.US_ASCII);
        assertThat(second).doesNotContain("secret-token", "List-Unsubscribe")
                .isEqualTo("From: hanako@example.jp\r\nSubject: [bunka:00002] plain\r\nList-Id: bunka <bunka.x>\r\n"
                        + "\r\nhello\r\n");
        assertThat(digest.parts().get(2).rawValue("Content-Transfer-Encoding")).isEmpty();
    }

    @Test
    void onAListThatKeepsCharsetsTheTableOfContentsIsUtf8InBase64AndAnAsciiDigestIs7bit() {
        DigestComposer composer = new DigestComposer("ml.example.jp", "https://lists.example", new MovableClock(SIX_PM));
        MimeEntity digest = MimeEntity.parse(composer.compose(list(OutputCharset.KEEP), DigestCadence.WEEKLY, SIX_PM,
                List.of(new DigestedPost(2, 2, PERSONAL_POST, SIX_PM.toEpochMilli()))));
        assertThat(digest.transferEncoding()).isEqualTo("7bit");
        assertThat(digest.parts().get(0).charset()).contains("UTF-8");
        assertThat(digest.parts().get(0).transferEncoding()).isEqualTo("base64");
        assertThat(HeaderWords.decode(digest.rawValue("Subject").orElseThrow())).contains("週間ダイジェスト", "（1件）");
    }
}
