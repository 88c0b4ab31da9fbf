package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mail.posting.IncomingMessage;
import jp.kitamoto.lists.mail.posting.Receipt;
import jp.kitamoto.lists.mail.posting.Receiver;
import jp.kitamoto.lists.mail.routing.Route;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * At the end of DATA: hands the message, with the routes {@link ListRcptHook} found for its recipients, to the
 * {@link Receiver}, which stores it (and its delivery rows) in one committed transaction, and only then answers 250.
 * The size limit and the other limits were enforced before this hook runs ({@link SizeLimitExtension},
 * {@link MessageLimitsHook}). If storing fails the client gets
 * a 451 and keeps the message; a message that is not a message gets a 554 and a log line.
 */
final class StoreMessageHook implements MessageHook {
    private static final Logger log = LoggerFactory.getLogger(StoreMessageHook.class);
    /**
     * The MDC key of the message being received: every log line written while it is stored, held or refused
     * carries it (the JSON log format shows it as {@code mdc.message_id}), so a log shipper can join them.
     */
    static final String MDC_MESSAGE_ID = "message_id";

    private final Receiver receiver;

    StoreMessageHook(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        try {
            return receive(session, mail);
        } finally {
            // Stored or not, the message's memory in the intake is free again (the receiver kept what it needs).
            BufferedEnvelope.release(mail);
        }
    }

    private HookResult receive(SMTPSession session, MailEnvelope mail) {
        byte[] raw;
        try {
            raw = BufferedEnvelope.bytesOf(mail);
        } catch (IOException e) {
            log.error("cannot read the received message", e);
            return SmtpReplies.storeFailed();
        }
        List<Route> recipients = new ArrayList<>();
        session.getAttachment(ListRcptHook.ROUTES, ProtocolSession.State.Transaction).ifPresent(routes -> {
            for (MailAddress rcpt : mail.getRecipients()) {
                routes.of(rcpt).ifPresent(recipients::add);
            }
        });
        // A docomo-style sender James could not hold (taro..yamada.@docomo.ne.jp) was kept aside at MAIL.
        String from = session.getAttachment(LenientMailCmdHandler.CARRIER_SENDER, ProtocolSession.State.Transaction)
                .orElseGet(() -> mail.getMaybeSender().asString(""));
        String remote = remote(session);
        String messageId = RefusalLog.messageId(raw);
        if (messageId.startsWith("(")) { // "(none)": the message has no Message-ID to show
            return store(session, mail, new IncomingMessage(raw, from, recipients, remote));
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_MESSAGE_ID, messageId)) {
            return store(session, mail, new IncomingMessage(raw, from, recipients, remote));
        }
    }

    private HookResult store(SMTPSession session, MailEnvelope mail, IncomingMessage message) {
        String from = message.envelopeFrom();
        String remote = message.remoteAddress();
        try {
            Receipt receipt = receiver.receive(message);
            return SmtpReplies.stored(receipt.summary());
        } catch (MalformedMessageException e) {
            HookResult refusal = SmtpReplies.unparseable(e.getMessage());
            RefusalLog.message(session, mail, refusal.getSmtpRetCode() + " " + refusal.getSmtpDescription());
            return refusal;
        } catch (RuntimeException e) {
            log.error("storing a message from <{}> [{}] failed; answered 451", from, remote, e);
            return SmtpReplies.storeFailed();
        }
    }

    private static String remote(SMTPSession session) {
        InetSocketAddress a = session.getRemoteAddress();
        return a == null ? "?" : a.getAddress().getHostAddress();
    }
}
