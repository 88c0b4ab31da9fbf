package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.text.Texts;

import java.time.Clock;
import java.util.Optional;

/**
 * Mail about posts that the server writes itself, to one person, in the list's output charset; the texts are the
 * catalogue's ({@code mail.held.*}, {@code mail.rejected.*}), in Japanese until members choose a language.
 */
final class SystemMail {
    private SystemMail() {
    }

    /** Tells a moderator that a post waits for them, why, and where to decide. */
    static byte[] heldNotice(MailingList list, String domain, String publicUrl, String moderator, long postId,
                             String sender, String subject, String reasons, Clock clock) {
        Texts texts = Texts.japanese();
        String body = texts.format("mail.held.body", "list", list.displayName(),
                "sender", sender == null ? texts.get("common.unknownSender") : sender, "subject", subject,
                "reasons", reasons, "url", publicUrl + "/staff/lists/" + list.id() + "/held");
        return PlainMail.automatic(list.addresses(domain).request(), list.displayName(), moderator,
                texts.format("mail.held.subject", "tag", list.subjectTag(), "post", postId), body, domain)
                .toBytes(clock, list.outputCharset());
    }

    /** Tells an owner that most copies of a post could not be delivered, why, and where to see each one. */
    static byte[] failedCopies(MailingList list, String domain, String publicUrl, String owner, Post post, long failed,
                               long total, String reasons, Clock clock) {
        Texts texts = Texts.japanese();
        String body = texts.format("mail.failures.body", "list", list.displayName(),
                "subject", post.subject() == null ? "" : post.subject(), "failed", failed, "total", total,
                "reasons", reasons, "url", publicUrl + "/staff/posts/" + post.id() + "/deliveries");
        return PlainMail.automatic(list.addresses(domain).request(), list.displayName(), owner,
                texts.format("mail.failures.subject", "tag", list.subjectTag(), "post", post.id()), body, domain)
                .toBytes(clock, list.outputCharset());
    }

    /** Tells the author that a moderator refused their post, with the moderator's reason. */
    static byte[] rejection(MailingList list, String domain, Post post, String reason, Clock clock) {
        Texts texts = Texts.japanese();
        ListAddresses addresses = list.addresses(domain);
        String body = texts.format("mail.rejected.body", "list", list.displayName(),
                "subject", post.subject() == null ? "" : post.subject(), "reason", reason, "owner", addresses.owner());
        return PlainMail.automatic(addresses.owner(), list.displayName(), post.sender(),
                        texts.format("mail.rejected.subject", "tag", list.subjectTag()), body, domain)
                .withAutoSubmitted(Optional.of("auto-replied")).toBytes(clock, list.outputCharset());
    }
}
