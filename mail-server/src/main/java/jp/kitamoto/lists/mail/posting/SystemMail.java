package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.mime.PlainMail;

import java.time.Clock;
import java.util.Optional;

/** Mail the server writes itself (to one person), in Japanese, in the list's output charset. */
public final class SystemMail {
    private SystemMail() {
    }

    public static byte[] rejection(MailingList list, String domain, Post post, String reason, Clock clock) {
        String body = "「" + list.displayName() + "」への投稿は、モデレーターにより承認されませんでした。\n\n"
                + "件名: " + (post.subject() == null ? "" : post.subject()) + "\n"
                + "理由: " + reason + "\n\n"
                + "ご不明な点は " + list.localPart() + "-owner@" + domain + " までお問い合わせください。\n";
        return build(list.localPart() + "-owner@" + domain, list.displayName(), post.sender(),
                "[" + list.subjectTag() + "] 投稿は承認されませんでした", body, clock, domain, list);
    }

    private static byte[] build(String from, String fromName, String to, String subject, String body, Clock clock,
                                String domain, MailingList list) {
        return PlainMail.automatic(from, fromName, to, subject, body, domain)
                .withAutoSubmitted(Optional.of("auto-replied")).toBytes(clock, list.outputCharset());
    }
}
