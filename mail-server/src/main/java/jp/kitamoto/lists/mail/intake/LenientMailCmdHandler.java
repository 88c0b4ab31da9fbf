package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.mail.delivery.SmtpPaths;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.MailCmdHandler;
import org.apache.james.protocols.smtp.dsn.DSNStatus;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * James's MAIL command, made to accept the envelope senders of old docomo and au phones.
 *
 * <p>Their addresses ({@code taro..yamada.@docomo.ne.jp}) are not an RFC 5321 Dot-string, and James's
 * {@code MailAddress} refuses them even quoted ({@code "taro..yamada."@docomo.ne.jp}): 501 5.1.7, so such a member
 * could never post. When the path holds such an address (and nothing worse: spaces, brackets, no domain), James is
 * given a stand-in address in the same domain to check and keep, and the real address is kept beside it in the
 * transaction; {@link StoreMessageHook} takes the real one. Every other MAIL command is James's own.
 */
final class LenientMailCmdHandler extends MailCmdHandler {
    /** The real envelope sender when it is a carrier address James cannot hold. */
    static final ProtocolSession.AttachmentKey<String> CARRIER_SENDER =
            ProtocolSession.AttachmentKey.of("kitamoto.carrier-sender", String.class);

    /** {@code FROM:<address>} and what follows (ESMTP parameters). Quoted local parts are unquoted first. */
    private static final Pattern PATH = Pattern.compile("^(\\s*FROM\\s*:\\s*<)([^<>\\s]+@[^<>\\s\"]+)(>.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final String STAND_IN_LOCAL_PART = "carrier-sender";

    LenientMailCmdHandler(MetricFactory metrics) {
        super(metrics);
    }

    @Override
    protected Response doFilterChecks(SMTPSession session, String command, String parameters) {
        Optional<String> carrier = carrierAddress(parameters);
        if (carrier.isEmpty()) {
            return super.doFilterChecks(session, command, parameters);
        }
        String address = carrier.get();
        Matcher m = PATH.matcher(parameters);
        m.matches();
        String standIn = STAND_IN_LOCAL_PART + address.substring(address.lastIndexOf('@'));
        Response refused = super.doFilterChecks(session, command, m.group(1) + standIn + m.group(3));
        if (refused == null) {
            session.setAttachment(CARRIER_SENDER, address, ProtocolSession.State.Transaction);
        }
        return refused;
    }

    @Override
    protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
        Optional<String> carrier = session.getAttachment(CARRIER_SENDER, ProtocolSession.State.Transaction);
        if (carrier.isEmpty()) {
            return super.doCoreCmd(session, command, parameters);
        }
        return new SMTPResponse(SMTPRetCode.MAIL_OK, DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.ADDRESS_OTHER)
                + " Sender <" + SmtpPaths.forWire(carrier.get()) + "> OK");
    }

    /**
     * The bare address when the MAIL parameters name a plausible mailbox whose local part is not a Dot-string
     * (sent plain or quoted); empty for every address James handles itself.
     */
    static Optional<String> carrierAddress(String parameters) {
        if (parameters == null) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(parameters);
        if (!m.matches()) {
            return Optional.empty();
        }
        String address = m.group(2);
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        if (local.length() > 2 && local.startsWith("\"") && local.endsWith("\"")) {
            local = local.substring(1, local.length() - 1);
            if (local.contains("\"") || local.contains("\\")) {
                return Optional.empty();
            }
            address = local + address.substring(at);
        }
        if (SmtpPaths.isDotString(local) || !Addresses.isPlausible(address)) {
            return Optional.empty();
        }
        return Optional.of(address);
    }
}
