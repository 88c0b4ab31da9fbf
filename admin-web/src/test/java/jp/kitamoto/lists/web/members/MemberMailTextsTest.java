package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.text.Texts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mails of the public pages moved into the catalogue: the Japanese text must be exactly what it was. */
class MemberMailTextsTest {
    private final Texts ja = Texts.japanese();

    @Test
    void subscriptionConfirmationIsUnchanged() {
        String was = """
                花子 様

                メーリングリスト「文化・芸術」への登録のお申し込みを受け付けました。
                下のリンクを開き、表示されるページの「登録する」ボタンを押すと登録が完了します。

                https://lists.example/confirm/abc

                このリンクの有効期限は 48 時間です。
                お申し込みに心当たりがない場合は、このメールを破棄してください。登録はされません。

                北本市 市民活動メーリングリスト
                """;
        assertThat(ja.format("web.mail.subscribe.body", "name", "花子", "list", "文化・芸術",
                "link", "https://lists.example/confirm/abc", "hours", 48L)).isEqualTo(was);
        assertThat(ja.format("web.mail.subscribe.subject", "list", "文化・芸術")).isEqualTo("【登録確認】文化・芸術");
    }

    @Test
    void unsubscriptionConfirmationIsUnchanged() {
        String was = """
                メーリングリスト「文化・芸術」の登録解除のお申し込みを受け付けました。
                下のリンクを開き、表示されるページの「登録を解除する」ボタンを押すと解除されます。

                https://lists.example/u/xyz

                お申し込みに心当たりがない場合は、このメールを破棄してください。

                北本市 市民活動メーリングリスト
                """;
        assertThat(ja.format("web.mail.leave.body", "list", "文化・芸術", "link", "https://lists.example/u/xyz"))
                .isEqualTo(was);
        assertThat(ja.format("web.mail.leave.subject", "list", "文化・芸術")).isEqualTo("【登録解除の確認】文化・芸術");
    }

    @Test
    void englishHasTheSamePlaceholders() {
        Texts en = Texts.of(Texts.ENGLISH);
        assertThat(en.format("web.mail.subscribe.body", "name", "Hanako", "list", "Culture", "link", "L",
                "hours", 48L)).startsWith("Dear Hanako,").contains("48 hours");
        assertThat(en.format("web.mail.leave.subject", "list", "Culture")).contains("Culture");
    }
}
