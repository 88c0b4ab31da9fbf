package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mime.MimeEntity;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the rules may look at: the list, the message, who sent it, and questions about membership asked of the
 * store. Rules only read it.
 *
 * @param senders    the candidate author addresses, From first, then Sender and the envelope sender
 * @param isMember   whether an address is a member of the list (active or with delivery suspended)
 * @param isOwner    whether an address is an owner of the list
 * @param domain     the server's mail domain, for the list's own List-Id and X-Loop
 */
public record PostContext(MailingList list, MimeEntity message, long sizeBytes, List<String> senders,
                          Predicate<String> isMember, Predicate<String> isOwner, String domain) {

    public Optional<String> from() {
        return senders.isEmpty() ? Optional.empty() : Optional.of(senders.get(0));
    }

    public String listId() {
        return list.addresses(domain).listId();
    }

    public String listAddress() {
        return list.addresses(domain).post();
    }
}
