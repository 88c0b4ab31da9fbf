package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.mail.routing.Route;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Accepts RCPT only for hosted list addresses and their sub-addresses in our own domain. Everything else,
 * {@code postmaster@} of another domain included, is refused here: we are not a relay, and a message we cannot
 * deliver must not be accepted and bounced later.
 *
 * <p>What is ours is decided by {@link Recipients}, which the Postfix in front asks too. This is the only place a
 * recipient is routed: each accepted recipient's {@link Route} is kept in the SMTP
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

    private final Recipients recipients;

    ListRcptHook(Recipients recipients) {
        this.recipients = recipients;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        Recipients.Verdict verdict = recipients.check(rcpt.getLocalPart(), rcpt.getDomain().asString());
        if (verdict.refusal().isPresent()) {
            return switch (verdict.refusal().get()) {
                case OTHER_DOMAIN -> SmtpReplies.relayDenied(rcpt.asString());
                case CLOSED_LIST -> SmtpReplies.closedList(rcpt.asString());
                case UNKNOWN -> SmtpReplies.unknownRecipient(rcpt.asString());
            };
        }
        Routes routes = session.getAttachment(ROUTES, ProtocolSession.State.Transaction).orElseGet(() -> {
            Routes fresh = new Routes();
            session.setAttachment(ROUTES, fresh, ProtocolSession.State.Transaction);
            return fresh;
        });
        routes.byRecipient.put(rcpt, verdict.route().orElseThrow());
        return SmtpReplies.acceptedRecipient();
    }
}
