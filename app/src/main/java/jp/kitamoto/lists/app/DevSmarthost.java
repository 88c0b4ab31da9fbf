package jp.kitamoto.lists.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An embedded GreenMail standing in for the smarthost (option {@code --dev-smarthost}), so that a newcomer can watch
 * a post go through on one machine. Every copy it receives is logged with its recipient and subject.
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
                new Settings.Smarthost(h.host(), port(), true, h.connectTimeoutMs(), h.readTimeoutMs()),
                s.database(), s.delivery());
    }

    private void watch() {
        int seen = 0;
        while (running) {
            // Polling a development aid once a second is fine; production never runs this.
            if (greenMail.waitForIncomingEmail(1000, seen + 1)) {
                MimeMessage[] all = greenMail.getReceivedMessages();
                for (int i = seen; i < all.length; i++) {
                    describe(all[i]);
                }
                seen = all.length;
            }
        }
    }

    private static void describe(MimeMessage m) {
        try {
            Address[] to = m.getAllRecipients();
            log.info("smarthost received for {}: {}", to == null ? "?" : Arrays.stream(to).map(Address::toString)
                    .collect(Collectors.joining(", ")), m.getSubject());
        } catch (MessagingException e) {
            log.info("smarthost received a message ({})", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        greenMail.stop();
    }
}
