package jp.kitamoto.lists.mail.intake;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;

import java.util.List;
import java.util.Locale;

/**
 * James's RCPT command, answering a recipient given twice in one transaction with 250 without adding it again.
 *
 * <p>James's own {@code SupressDuplicateRcptHandler} cannot do this in 3.8.1: a hook that answers OK makes
 * {@code AbstractHookableCmdHandler} run the core command, which appends the address to the recipient list anyway.
 * Here the duplicate is answered before the hooks run, so it is neither routed again nor counted against
 * {@code smtp.limits.max-recipients}. Addresses are compared ignoring case, as list routing does.
 */
final class RecipientCmdHandler extends RcptCmdHandler {

    RecipientCmdHandler(MetricFactory metrics) {
        super(metrics);
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String argument) {
        Response refused = super.doFilterChecks(session, command, argument);
        if (refused != null) {
            return refused;
        }
        MailAddress current = session.getAttachment(CURRENT_RECIPIENT, ProtocolSession.State.Transaction).orElse(null);
        List<MailAddress> given = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction)
                .orElse(List.of());
        if (current != null && given.stream().anyMatch(a -> sameAddress(a, current))) {
            return SmtpReplies.duplicateRecipient(current.asString());
        }
        return null;
    }

    private static boolean sameAddress(MailAddress a, MailAddress b) {
        return a.asString().toLowerCase(Locale.ROOT).equals(b.asString().toLowerCase(Locale.ROOT));
    }
}
