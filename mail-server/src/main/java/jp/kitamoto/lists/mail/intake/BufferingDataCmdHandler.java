package jp.kitamoto.lists.mail.intake;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;

import java.util.List;

/** James's DATA command, receiving into a {@link BufferedEnvelope} that counts against the intake's memory. */
final class BufferingDataCmdHandler extends DataCmdHandler {
    private final MemoryReservation reservation;

    BufferingDataCmdHandler(MemoryReservation reservation) {
        super(new NoopMetricFactory());
        this.reservation = reservation;
    }

    @Override
    protected MailEnvelope createEnvelope(MaybeSender sender, List<MailAddress> recipients) {
        return new BufferedEnvelope(sender, recipients, reservation.memory());
    }

    /** DATA, with the memory reserved at MAIL FROM (if any) handed to the message about to arrive. */
    @Override
    protected Response doDATA(SMTPSession session, String argument) {
        Response response = super.doDATA(session, argument);
        session.getAttachment(MAILENV, ProtocolSession.State.Transaction)
                .filter(BufferedEnvelope.class::isInstance)
                .ifPresent(envelope -> reservation.handOver(session, (BufferedEnvelope) envelope));
        return response;
    }

    /**
     * The first message hook: a message that did not fit in the intake's memory is answered 452 4.3.1 before any
     * other hook reads it (the sender's server keeps it and tries again later).
     */
    static final class MemoryHook implements MessageHook {
        @Override
        public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
            if (mail instanceof BufferedEnvelope buffered && buffered.overflowed()) {
                HookResult refusal = SmtpReplies.insufficientStorage();
                RefusalLog.message(session, mail, refusal.getSmtpRetCode() + " " + refusal.getSmtpDescription()
                        + " (" + mail.getSize() + " bytes did not fit in the intake's memory)");
                buffered.release();
                return refusal;
            }
            return HookResult.DECLINED;
        }
    }
}
