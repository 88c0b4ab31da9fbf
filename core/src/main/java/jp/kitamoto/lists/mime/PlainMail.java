package jp.kitamoto.lists.mime;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.OutputCharset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

/**
 * A text/plain message the server writes itself (UTF-8, or a list's output charset): a confirmation link, a
 * rejection notice, a scheduled notice. One builder for every module, so that they all get the same RFC 2047 subject, a Message-ID in our
 * domain and (for automatic mail) the RFC 3834 Auto-Submitted field that keeps auto-responders quiet.
 *
 * @param fromName      display name of the sender, Japanese allowed
 * @param toName        display name of the recipient, or empty
 * @param messageId     the Message-ID without brackets, or empty for a random one in {@code domain}
 * @param autoSubmitted e.g. {@code auto-generated} or {@code auto-replied}; empty for mail that stands for a person
 */
public record PlainMail(String fromAddress, String fromName, String to, Optional<String> toName, String subject,
                        String body, String domain, Optional<String> messageId, Optional<String> autoSubmitted) {
    private static final Session SESSION = Session.getInstance(new Properties());

    /** Mail to one person, marked auto-generated, with a random Message-ID. */
    public static PlainMail automatic(String fromAddress, String fromName, String to, String subject, String body,
                                      String domain) {
        return new PlainMail(fromAddress, fromName, to, Optional.empty(), subject, body, domain, Optional.empty(),
                Optional.of("auto-generated"));
    }

    public PlainMail withAutoSubmitted(Optional<String> value) {
        return new PlainMail(fromAddress, fromName, to, toName, subject, body, domain, messageId, value);
    }

    /**
     * The message in a list's output charset: for {@link OutputCharset#ISO_2022_JP} (members on old carrier
     * phones) the subject, names and text are converted as list copies are ({@link OutputConversion}); otherwise
     * UTF-8.
     */
    public byte[] toBytes(Clock clock, OutputCharset output) {
        byte[] utf8 = toBytes(clock);
        if (output != OutputCharset.ISO_2022_JP) {
            return utf8;
        }
        MimeEntity message = MimeEntity.parse(utf8);
        OutputConversion.convert(message, output);
        return message.toBytes();
    }

    public byte[] toBytes(Clock clock) {
        String id = "<" + messageId.orElseGet(() -> jp.kitamoto.lists.service.Tokens.newToken() + "@" + domain) + ">";
        try {
            MimeMessage m = new MimeMessage(SESSION) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", id);
                }
            };
            m.setFrom(new InternetAddress(fromAddress, fromName, "UTF-8"));
            // Unchecked: carrier addresses such as taro..yamada.@docomo.ne.jp are real mailboxes, and Jakarta Mail
            // refuses their dot-dot even when not strict; setAddress() takes the address as it is.
            InternetAddress recipient = new InternetAddress();
            recipient.setAddress(to);
            if (toName.isPresent()) {
                recipient.setPersonal(toName.get(), "UTF-8");
            }
            m.setRecipient(Message.RecipientType.TO, recipient);
            m.setSubject(subject, "UTF-8");
            m.setSentDate(Date.from(clock.instant()));
            if (autoSubmitted.isPresent()) {
                m.setHeader("Auto-Submitted", autoSubmitted.get());
            }
            m.setText(body, "UTF-8");
            m.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalArgumentException("cannot build a mail to " + to + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
