package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mail.routing.ListAddress;
import jp.kitamoto.lists.mail.routing.RecipientParser;
import jp.kitamoto.lists.mail.routing.Route;
import jp.kitamoto.lists.service.ListService;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Accepts RCPT only for hosted list addresses and their sub-addresses in our own domain. Everything else,
 * {@code postmaster@} of another domain included, is refused here: we are not a relay, and a message we cannot
 * deliver must not be accepted and bounced later.
 *
 * <p>This is the only place a recipient is routed: each accepted recipient's {@link Route} is kept in the SMTP
 * transaction ({@link #ROUTES}) for {@link StoreMessageHook}.
 */
final class ListRcptHook implements RcptHook {
    /** The routes of this transaction's accepted recipients, by address; RSET and a new MAIL forget them. */
    static final ProtocolSession.AttachmentKey<Routes> ROUTES =
            ProtocolSession.AttachmentKey.of("kitamoto.routes", Routes.class);

    /** Mutable on purpose: James keeps one attachment object per transaction and RCPT adds to it. */
    static final class Routes {
        private final Map<MailAddress, Route> byRecipient = new LinkedHashMap<>();

        Optional<Route> of(MailAddress recipient) {
            return Optional.ofNullable(byRecipient.get(recipient));
        }
    }

    private final String domain;
    private final ListService lists;

    ListRcptHook(String domain, ListService lists) {
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.lists = lists;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (!rcpt.getDomain().asString().toLowerCase(Locale.ROOT).equals(domain)) {
            return SmtpReplies.relayDenied(rcpt.asString());
        }
        Optional<Route> route = route(rcpt.getLocalPart());
        if (route.isEmpty()) {
            return SmtpReplies.unknownRecipient(rcpt.asString());
        }
        if (!route.get().list().isOpen() && route.get().isPost()) {
            return SmtpReplies.closedList(rcpt.asString());
        }
        Routes routes = session.getAttachment(ROUTES, ProtocolSession.State.Transaction).orElseGet(() -> {
            Routes fresh = new Routes();
            session.setAttachment(ROUTES, fresh, ProtocolSession.State.Transaction);
            return fresh;
        });
        routes.byRecipient.put(rcpt, route.get());
        return SmtpReplies.acceptedRecipient();
    }

    /** Parses the local part, keeping the list the parser found so it is looked up once. */
    private Optional<Route> route(String localPart) {
        Map<String, MailingList> found = new HashMap<>();
        Optional<ListAddress> address = new RecipientParser(name -> {
            Optional<MailingList> list = lists.byLocalPart(name);
            list.ifPresent(l -> found.put(name, l));
            return list.isPresent();
        }).parse(localPart);
        return address.map(a -> new Route(found.get(a.listName()), a));
    }
}
