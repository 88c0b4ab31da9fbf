package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's SIZE extension (RFC 1870), which counts the bytes as they arrive, with our reply and our log line: it
 * answers "552 Quota exceeded", which tells a member nothing and lacks the enhanced status code 5.3.4, and logs
 * every refusal at ERROR as if the server were broken.
 */
final class SizeLimitExtension extends MailSizeEsmtpExtension {
    private static final Logger log = LoggerFactory.getLogger(SizeLimitExtension.class);
    /** James's own (private) flag for "this message went over the limit"; attachment keys are equal by name. */
    private static final ProtocolSession.AttachmentKey<Boolean> MESG_FAILED =
            ProtocolSession.AttachmentKey.of("MESG_FAILED", Boolean.class);

    private final long limit;
    private final MemoryReservation reservation;

    SizeLimitExtension(long limit, MemoryReservation reservation) {
        this.limit = limit;
        this.reservation = reservation;
    }

    /**
     * MAIL FROM:<...> SIZE=n over the limit is refused before any data is sent (James would log it at ERROR); a size
     * within it reserves the intake's memory for the message, or hears 452 when that is used up now.
     */
    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        if ("SIZE".equalsIgnoreCase(paramName) && paramValue != null && paramValue.matches("\\d{1,18}")) {
            long declared = Long.parseLong(paramValue);
            if (declared > limit) {
                log.warn("refused a message from [{}] Message-ID (not sent yet): declared SIZE={} over the limit of {}",
                        RefusalLog.client(session), paramValue, limit);
                return SmtpReplies.tooBig(limit);
            }
            // RFC 1870 section 6.1: a size the server cannot take now is 452, before the client sends the data.
            if (!reservation.reserve(session, declared)) {
                IntakeMemory memory = reservation.memory();
                log.warn("deferred a message from [{}] Message-ID (not sent yet): 452 4.3.1, declared SIZE={} does"
                        + " not fit in the intake's memory now ({} of {} bytes in use)", RefusalLog.client(session),
                        paramValue, memory.used(), memory.capacity());
                return SmtpReplies.insufficientStorage();
            }
        }
        return super.doMailParameter(session, paramName, paramValue);
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        if (session.getAttachment(MESG_FAILED, ProtocolSession.State.Transaction).orElse(false)) {
            HookResult refusal = SmtpReplies.tooBig(limit);
            RefusalLog.message(session, mail, refusal.getSmtpRetCode() + " " + refusal.getSmtpDescription());
            BufferedEnvelope.release(mail);
            return refusal;
        }
        return HookResult.DECLINED;
    }

    /** The size check proper runs per line and answers on the final dot with its own Response. */
    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        // Read before James handles the final dot, which resets the transaction. Only James's own "Quota exceeded"
        // is replaced: a 552 from a later hook (the header limits) keeps its text.
        boolean overLimit = session.getAttachment(MESG_FAILED, ProtocolSession.State.Transaction).orElse(false);
        Response response = super.onLine(session, line, next);
        if (response != null && overLimit && "552".equals(response.getRetCode())) {
            HookResult ours = SmtpReplies.tooBig(limit);
            return new SMTPResponse(ours.getSmtpRetCode(), ours.getSmtpDescription());
        }
        return response;
    }
}
