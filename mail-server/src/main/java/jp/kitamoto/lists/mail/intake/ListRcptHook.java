package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mail.routing.ListAddress;
import jp.kitamoto.lists.mail.routing.RecipientParser;
import jp.kitamoto.lists.service.ListService;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;

import java.util.Locale;
import java.util.Optional;

/**
 * Accepts RCPT only for hosted list addresses and their sub-addresses in our own domain. Everything else,
 * {@code postmaster@} of another domain included, is refused here: we are not a relay, and a message we cannot
 * deliver must not be accepted and bounced later.
 */
final class ListRcptHook implements RcptHook {
    private final String domain;
    private final ListService lists;

    ListRcptHook(String domain, ListService lists) {
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.lists = lists;
    }

    static Optional<ListAddress> route(MailAddress rcpt, String domain, ListService lists) {
        if (!rcpt.getDomain().asString().toLowerCase(Locale.ROOT).equals(domain.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return new RecipientParser(name -> lists.byLocalPart(name).isPresent()).parse(rcpt.getLocalPart());
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (!rcpt.getDomain().asString().toLowerCase(Locale.ROOT).equals(domain)) {
            return SmtpReplies.relayDenied(rcpt.asString());
        }
        Optional<ListAddress> address = route(rcpt, domain, lists);
        if (address.isEmpty()) {
            return SmtpReplies.unknownRecipient(rcpt.asString());
        }
        MailingList list = lists.byLocalPart(address.get().listName()).orElseThrow();
        if (!list.isOpen() && address.get().isPost()) {
            return SmtpReplies.closedList(rcpt.asString());
        }
        return SmtpReplies.acceptedRecipient();
    }
}
