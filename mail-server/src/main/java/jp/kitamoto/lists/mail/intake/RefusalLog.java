package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The log lines of refusals, in one format so that an operator can grep them: one WARN line per refused message
 * with the client, the envelope sender, the Message-ID and the reason; and for refusals that a misbehaving client
 * repeats by the thousand (connections over a limit, posts over the rate), one WARN line per client and minute,
 * the rest at DEBUG.
 */
final class RefusalLog {
    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final Duration QUIET = Duration.ofMinutes(1);
    /** Enough to find a Message-ID near the top of the header block without reading a whole large message. */
    private static final int HEADER_SCAN_BYTES = 64 * 1024;

    private final Clock clock;
    private final Map<String, Instant> lastWarned = new ConcurrentHashMap<>();

    RefusalLog(Clock clock) {
        this.clock = clock;
    }

    /** One WARN line for a message refused at the end of DATA. */
    static void message(SMTPSession session, MailEnvelope mail, String reason) {
        log.warn("refused a message from <{}> [{}] Message-ID {}: {}", sender(session, mail), client(session),
                messageId(mail), clean(reason));
    }

    /** WARN for the first refusal of this kind for this client in a minute, DEBUG for the others. */
    void repeated(String kind, String client, String reason) {
        Instant now = clock.instant();
        String key = kind + " " + client;
        Instant last = lastWarned.get(key);
        if (last == null || !now.isBefore(last.plus(QUIET))) {
            lastWarned.put(key, now);
            if (lastWarned.size() > 10_000) {
                lastWarned.values().removeIf(t -> now.isAfter(t.plus(QUIET)));
            }
            log.warn("refused {} from [{}]: {} (more within a minute are logged at DEBUG)", kind, client, reason);
        } else {
            log.debug("refused {} from [{}]: {}", kind, client, reason);
        }
    }

    static String client(ProtocolSession session) {
        InetSocketAddress a = session.getRemoteAddress();
        return a == null || a.getAddress() == null ? "?" : a.getAddress().getHostAddress();
    }

    private static String sender(SMTPSession session, MailEnvelope mail) {
        return session.getAttachment(LenientMailCmdHandler.CARRIER_SENDER, ProtocolSession.State.Transaction)
                .orElseGet(() -> mail.getMaybeSender().asString(""));
    }

    /** The Message-ID field of the header block, unfolded, or "(none)". */
    static String messageId(MailEnvelope mail) {
        byte[] head;
        try (InputStream in = mail.getMessageInputStream()) {
            head = in.readNBytes(HEADER_SCAN_BYTES);
        } catch (IOException e) {
            return "(unreadable)";
        }
        return messageId(head);
    }

    static String messageId(byte[] message) {
        String text = new String(message, 0, Math.min(message.length, HEADER_SCAN_BYTES), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String headers = (end < 0 ? text : text.substring(0, end)).replaceAll("\r?\n[ \t]+", " ");
        for (String line : headers.split("\r?\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("message-id:")) {
                return clean(line.substring("message-id:".length()).trim());
            }
        }
        return "(none)";
    }

    /** One line, printable, bounded: these values come from the client (no log injection). */
    static String clean(String s) {
        String line = s == null ? "" : s.replaceAll("[\\p{Cntrl}]+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
