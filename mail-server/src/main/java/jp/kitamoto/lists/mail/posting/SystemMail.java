package jp.kitamoto.lists.mail.posting;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/** Mail the server writes itself (to one person), in Japanese, UTF-8. */
public final class SystemMail {
    private static final Session SESSION = Session.getInstance(new Properties());

    private SystemMail() {
    }

    public static byte[] rejection(MailingList list, String domain, Post post, String reason, Clock clock) {
        String body = "「" + list.displayName() + "」への投稿は、モデレーターにより承認されませんでした。\n\n"
                + "件名: " + (post.subject() == null ? "" : post.subject()) + "\n"
                + "理由: " + reason + "\n\n"
                + "ご不明な点は " + list.localPart() + "-owner@" + domain + " までお問い合わせください。\n";
        return build(list.localPart() + "-owner@" + domain, list.displayName(), post.sender(),
                "[" + list.subjectTag() + "] 投稿は承認されませんでした", body, clock);
    }

    public static byte[] build(String from, String fromName, String to, String subject, String body, Clock clock) {
        try {
            MimeMessage m = new MimeMessage(SESSION);
            m.setFrom(new InternetAddress(from, fromName, "UTF-8"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(to, false));
            m.setSubject(subject, "UTF-8");
            m.setSentDate(new Date(clock.millis()));
            m.setText(body, "UTF-8");
            m.setHeader("Auto-Submitted", "auto-replied");
            m.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot build system mail", e);
        }
    }

}
