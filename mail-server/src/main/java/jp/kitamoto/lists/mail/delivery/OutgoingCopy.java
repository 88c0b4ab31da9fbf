package jp.kitamoto.lists.mail.delivery;

import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPMessage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One recipient's copy: its personal header fields followed by the shared decorated bytes, written to the
 * smarthost exactly as they are. Extending SMTPMessage (instead of building a MimeMessage) keeps Jakarta Mail
 * from re-encoding anything and lets us set the VERP envelope sender per copy.
 */
final class OutgoingCopy extends SMTPMessage {
    private final byte[] personalHeaders;
    private final byte[] shared;

    OutgoingCopy(Session session, String envelopeFrom, byte[] personalHeaders, byte[] shared) {
        super(session);
        this.personalHeaders = personalHeaders;
        this.shared = shared;
        setEnvelopeFrom(envelopeFrom);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
        os.write(personalHeaders);
        os.write(shared);
    }

    @Override
    public void writeTo(OutputStream os) throws IOException {
        writeTo(os, null);
    }

    @Override
    public int getSize() {
        return personalHeaders.length + shared.length;
    }
}
