package jp.kitamoto.lists.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedded GreenMail standing in for the smarthost (option {@code --dev-smarthost}), so that a newcomer can watch
 * a post go through on one machine. Every copy it receives is logged with its envelope recipient and subject.
 */
final class DevSmarthost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DevSmarthost.class);

    private final GreenMail greenMail;
    private final Thread watcher;
    private volatile boolean running = true;

    private DevSmarthost(GreenMail greenMail) {
        this.greenMail = greenMail;
        this.watcher = new Thread(this::watch, "dev-smarthost-log");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    static DevSmarthost start(String host, int port) {
        GreenMail gm = new GreenMail(new ServerSetup(port, host, ServerSetup.PROTOCOL_SMTP));
        gm.start();
        DevSmarthost dev = new DevSmarthost(gm);
        log.info("embedded GreenMail smarthost on {}:{} (development only: copies are kept in memory and logged)",
                host, dev.port());
        return dev;
    }

    int port() {
        return greenMail.getSmtp().getPort();
    }

    Settings pointAt(Settings s) {
        Settings.Smarthost h = s.smarthost();
        return new Settings(s.server(), s.smtp(), s.web(),
                new Settings.Smarthost(h.host(), port(), true, h.connectTimeoutMs(), h.readTimeoutMs(), h.starttls(),
                        h.chunkingWindow()),
                s.database(), s.delivery(), s.dkim(), s.backup(), s.metrics(), s.postfix(), s.logging());
    }

    /** Logs each new copy with its envelope recipient: GreenMail files every copy in that recipient's inbox. */
    private void watch() {
        Map<String, Integer> seenPerUser = new HashMap<>();
        int seen = 0;
        while (running) {
            // Polling a development aid once a second is fine; production never runs this.
            if (!greenMail.waitForIncomingEmail(1000, seen + 1)) {
                continue;
            }
            seen = greenMail.getReceivedMessages().length;
            for (GreenMailUser user : greenMail.getUserManager().listUser()) {
                List<MimeMessage> inbox = inbox(user);
                int before = seenPerUser.getOrDefault(user.getEmail(), 0);
                for (int i = before; i < inbox.size(); i++) {
                    log.info("smarthost received for <{}>: {}", user.getEmail(), subject(inbox.get(i)));
                }
                seenPerUser.put(user.getEmail(), inbox.size());
            }
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private List<MimeMessage> inbox(GreenMailUser user) {
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(StoredMessage::getMimeMessage).toList();
        } catch (FolderException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        running = false;
        greenMail.stop();
    }
}
