package jp.kitamoto.lists.mail.routing;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.MailingList;

/**
 * A recipient routed once, at RCPT: the hosted list it belongs to (looked up then) and which of the list's addresses
 * it is. Carried in the SMTP transaction to the end of DATA and into the receiving service, so neither parses nor
 * looks up the address again.
 */
public record Route(MailingList list, ListAddress address) {

    public boolean isPost() {
        return address.isPost();
    }

    public boolean is(CommandKind kind) {
        return address.command().filter(kind::equals).isPresent();
    }
}
