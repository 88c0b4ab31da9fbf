package jp.kitamoto.lists.mail.delivery;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jp.kitamoto.lists.config.Settings;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * One SMTP connection to the smarthost, reused for many copies and reopened after any failure. Not thread-safe:
 * each delivery worker owns one.
 */
public final class SmtpSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpSender.class);

    private final Session session;
    private final String host;
    private final int port;
    private SMTPTransport transport;

    public SmtpSender(String host, int port, String heloName, int connectTimeoutMs, int readTimeoutMs) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.localhost", heloName);
        p.setProperty("mail.smtp.connectiontimeout", Integer.toString(connectTimeoutMs));
        p.setProperty("mail.smtp.timeout", Integer.toString(readTimeoutMs));
        p.setProperty("mail.smtp.writetimeout", Integer.toString(readTimeoutMs));
        // Do not wait for the reply to QUIT: the copies are already accepted by then.
        p.setProperty("mail.smtp.quitwait", "false");
        this.session = Session.getInstance(p);
        this.host = host;
        this.port = port;
    }

    public static SmtpSender forSettings(Settings settings, int port) {
        Settings.Smarthost s = settings.smarthost();
        return new SmtpSender(s.host(), port, settings.server().domain(), s.connectTimeoutMs(), s.readTimeoutMs());
    }

    /** Sends one copy; never throws: every outcome is a {@link SendResult}. */
    public SendResult send(String envelopeFrom, String recipient, byte[] personalHeaders, byte[] shared) {
        boolean reused = transport != null;
        SendResult result = attempt(envelopeFrom, recipient, personalHeaders, shared);
        if (reused && result.kind() == SendResult.Kind.TEMPORARY && transport == null) {
            // A reused connection may have been closed by the smarthost while idle (Postfix: smtpd_timeout);
            // that says nothing about this copy, so try once more on a fresh connection.
            result = attempt(envelopeFrom, recipient, personalHeaders, shared);
        }
        return result;
    }

    private SendResult attempt(String envelopeFrom, String recipient, byte[] personalHeaders, byte[] shared) {
        try {
            // Not transport.isConnected(): Angus checks liveness with a NOOP round trip on every call. A dead
            // connection shows up as a failure of the send itself, handled in send().
            if (transport == null) {
                connect();
            }
        } catch (MessagingException e) {
            close();
            return SendResult.temporary("cannot connect to smarthost " + host + ":" + port + ": " + rootMessage(e));
        }
        try {
            OutgoingCopy copy = new OutgoingCopy(session, SmtpPaths.forWire(envelopeFrom), personalHeaders, shared);
            InternetAddress to = new InternetAddress();
            to.setAddress(SmtpPaths.forWire(recipient));
            transport.sendMessage(copy, new Address[]{to});
            return SendResult.sent(oneLine(transport.getLastServerResponse()));
        } catch (MessagingException e) {
            int code = replyCode(e);
            String reply = code > 0 ? code + " " + oneLine(rootMessage(e)) : oneLine(rootMessage(e));
            // After a refusal the session may sit mid-transaction; a fresh connection is the simple safe state.
            close();
            if (code >= 500 && code < 600) {
                return refusedSender(e) ? SendResult.permanent(reply) : SendResult.refused(reply);
            }
            if (code >= 400 && code < 500) {
                return SendResult.temporary(reply);
            }
            return SendResult.temporary("connection to smarthost failed: " + reply);
        }
    }

    /**
     * Opens the connection ahead of the first copy, so that the first copy of a post does not pay for the TCP and
     * EHLO handshake. A smarthost that is down is not an error here: the first send reports it.
     */
    public void connectAhead() {
        try {
            if (transport == null) {
                connect();
            }
        } catch (MessagingException e) {
            close();
            log.info("smarthost {}:{} not reachable yet: {}", host, port, rootMessage(e));
        }
    }

    private void connect() throws MessagingException {
        SMTPTransport t = (SMTPTransport) session.getTransport("smtp");
        t.connect();
        transport = t;
        log.debug("connected to smarthost {}:{}", host, port);
    }

    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; ) {
            if (t instanceof SMTPAddressFailedException a && a.getReturnCode() > 0) {
                return a.getReturnCode();
            }
            if (t instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                return s.getReturnCode();
            }
            Throwable next = t instanceof MessagingException m && m.getNextException() != null
                    ? m.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return -1;
    }

    /** Whether the 5xx answered our MAIL FROM (Angus reports that as SMTPSenderFailedException). */
    private static boolean refusedSender(Throwable e) {
        for (Throwable t = e; t != null; ) {
            if (t instanceof SMTPSenderFailedException) {
                return true;
            }
            Throwable next = t instanceof MessagingException m && m.getNextException() != null
                    ? m.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        String msg = e.getMessage();
        for (Throwable t = e; t != null; ) {
            if (t instanceof SMTPAddressFailedException || t instanceof SMTPSendFailedException) {
                return t.getMessage();
            }
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
            Throwable next = t instanceof MessagingException m && m.getNextException() != null
                    ? m.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\r\n]+", " ").trim();
    }

    @Override
    public void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // The connection is being dropped anyway.
            }
            transport = null;
        }
    }
}
