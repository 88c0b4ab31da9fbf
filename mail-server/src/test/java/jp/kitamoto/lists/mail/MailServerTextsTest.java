package jp.kitamoto.lists.mail;

import jp.kitamoto.lists.text.Texts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Japanese texts mail-server writes, rendered from the catalogue, are exactly the texts the code wrote before
 * they moved there (each expected value is the old concatenation, with the same sample values).
 */
class MailServerTextsTest {
    private final Texts ja = Texts.japanese();

    @Test
    void heldNoticeShouldReadAsBefore() {
        assertThat(ja.format("mail.held.subject", "tag", "bunka", "post", 42L))
                .isEqualTo("[" + "bunka" + "] 承認待ちの投稿があります（" + 42L + "）");
        assertThat(ja.format("mail.held.body", "list", "文化", "sender", "a@example.jp", "subject", "件名",
                "reasons", "non-member: x", "url", "https://x/staff/lists/1/held"))
                .isEqualTo("「" + "文化" + "」への投稿が、承認を待っています。\n\n"
                        + "差出人: " + "a@example.jp" + "\n"
                        + "件名: " + "件名" + "\n"
                        + "保留の理由:\n" + "non-member: x" + "\n\n"
                        + "承認・却下・破棄はこちらから（職員用ログインが必要です）:\n"
                        + "https://x" + "/staff/lists/" + 1 + "/held\n");
        assertThat(ja.get("common.unknownSender")).isEqualTo("（不明）");
    }

    @Test
    void rejectionShouldReadAsBefore() {
        assertThat(ja.format("mail.rejected.subject", "tag", "bunka")).isEqualTo("[bunka] 投稿は承認されませんでした");
        assertThat(ja.format("mail.rejected.body", "list", "文化", "subject", "件名", "reason", "重複",
                "owner", "bunka-owner@ml.example.jp"))
                .isEqualTo("「" + "文化" + "」への投稿は、モデレーターにより承認されませんでした。\n\n"
                        + "件名: " + "件名" + "\n"
                        + "理由: " + "重複" + "\n\n"
                        + "ご不明な点は " + "bunka" + "-owner@" + "ml.example.jp" + " までお問い合わせください。\n");
    }

    @Test
    void listCommandRepliesShouldReadAsBefore() {
        String page = "https://x/lists/bunka";
        assertThat(ja.format("mail.command.help.subject", "tag", "bunka")).isEqualTo("[bunka] メーリングリストの使い方");
        assertThat(ja.format("mail.command.join.subject", "tag", "bunka")).isEqualTo("[bunka] 登録のご案内");
        assertThat(ja.format("mail.command.leave.subject", "tag", "bunka")).isEqualTo("[bunka] 登録解除のご案内");
        assertThat(ja.format("mail.command.help.body", "list", "文化", "post", "bunka@ml.example.jp", "page", page,
                "owner", "bunka-owner@ml.example.jp"))
                .isEqualTo("「" + "文化" + "」メーリングリストのご案内です。\n\n"
                        + "投稿: " + "bunka@ml.example.jp" + " 宛てにメールを送ってください（登録者のみ）。\n"
                        + "登録・解除・過去の投稿: " + page + "\n"
                        + "管理者への連絡: " + "bunka" + "-owner@" + "ml.example.jp" + "\n");
        assertThat(ja.format("mail.command.join.body", "list", "文化", "page", page))
                .isEqualTo("「" + "文化" + "」への登録は、次のページでメールアドレスを入力してください。\n"
                        + "確認のメールをお送りしますので、そのメールのリンクから登録を完了してください。\n\n"
                        + page + "\n");
        assertThat(ja.format("mail.command.leave.member.body", "list", "文化", "url", "https://x/u/tok"))
                .isEqualTo("「" + "文化" + "」の登録を解除するには、次のページを開き「登録を解除する」ボタンを"
                        + "押してください。\n\n" + "https://x" + "/u/" + "tok" + "\n\n"
                        + "解除しない場合は、このメールを破棄してください。\n");
        assertThat(ja.format("mail.command.leave.notMember.body", "address", "a@example.jp", "list", "文化",
                "url", page + "/unsubscribe"))
                .isEqualTo("このアドレス（" + "a@example.jp" + "）は「" + "文化" + "」に登録されていないようです。\n"
                        + "別のアドレスで登録している場合は、次のページから解除できます。\n\n" + page + "/unsubscribe\n");
    }

    @Test
    void suspensionNoticeShouldReadAsBefore() {
        assertThat(ja.format("mail.bounce.suspended.subject", "tag", "bunka"))
                .isEqualTo("[bunka] 配信を停止した登録者があります");
        assertThat(ja.format("mail.bounce.suspended.body", "list", "文化", "address", "gone@example.jp", "score", 5,
                "url", "https://x/staff/lists/1/members"))
                .isEqualTo("「" + "文化" + "」の登録者 " + "gone@example.jp" + " あてのメールが、"
                        + 5 + " 日続けて届かずに戻ってきました（宛先不明など）。\n"
                        + "このアドレスへの配信を停止しました。登録はそのままで、本人は投稿できます。\n\n"
                        + "アドレスが直ったら、登録者の一覧から配信を再開できます（職員用ログインが必要です）:\n"
                        + "https://x" + "/staff/lists/" + 1 + "/members\n");
    }
}
