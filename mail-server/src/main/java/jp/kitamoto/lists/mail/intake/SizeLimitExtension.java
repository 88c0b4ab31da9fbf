package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * James's SIZE extension (RFC 1870), which counts the bytes as they arrive, with our reply: it answers
 * "552 Quota exceeded", which tells a member nothing and lacks the enhanced status code 5.3.4.
 */
final class SizeLimitExtension extends MailSizeEsmtpExtension {
    private final long limit;

    SizeLimitExtension(long limit) {
        this.limit = limit;
    }

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        return translate(super.doMailParameter(session, paramName, paramValue));
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        return translate(super.onMessage(session, mail));
    }

    /** The size check proper runs per line and answers on the final dot with its own Response. */
    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        Response response = super.onLine(session, line, next);
        if (response != null && "552".equals(response.getRetCode())) {
            HookResult ours = SmtpReplies.tooBig(limit);
            return new SMTPResponse(ours.getSmtpRetCode(), ours.getSmtpDescription());
        }
        return response;
    }

    private HookResult translate(HookResult result) {
        if (result != null && result.getResult().getAction() == HookReturnCode.Action.DENY
                && "552".equals(result.getSmtpRetCode())) {
            return SmtpReplies.tooBig(limit);
        }
        return result;
    }
}
