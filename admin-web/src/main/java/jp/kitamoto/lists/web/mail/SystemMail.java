package jp.kitamoto.lists.web.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/** Builds the short plain-text mails admin-web sends to one person (confirmation, unsubscribe link). */
public final class SystemMail {
    private static final Session SESSION = Session.getInstance(new Properties());

    private SystemMail() {
    }

    /** A UTF-8 text/plain message, marked auto-generated (RFC 3834) so that auto-responders stay quiet. */
    public static byte[] build(Clock clock, String domain, String fromAddress, String fromName, String to,
                               String subject, String body) {
        try {
            MimeMessage m = new MimeMessage(SESSION) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + jp.kitamoto.lists.service.Tokens.newToken() + "@" + domain + ">");
                }
            };
            m.setFrom(new InternetAddress(fromAddress, fromName, "UTF-8"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(to, false));
            m.setSubject(subject, "UTF-8");
            m.setSentDate(Date.from(clock.instant()));
            m.setHeader("Auto-Submitted", "auto-generated");
            m.setText(body, "UTF-8");
            m.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot build a system mail to " + to, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
