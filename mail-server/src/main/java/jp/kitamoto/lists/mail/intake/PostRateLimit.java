package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.ClientNetwork;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.MessageHook;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages per client address per minute, over a sliding minute. Each message whose DATA ends counts, whatever
 * it is answered; a client at the limit hears {@code 451 4.7.1} at its next MAIL FROM, with the seconds until the
 * oldest of its messages leaves the window, so a well-behaved MTA simply retries later. Exempt clients (the Postfix
 * in front of us, which sends for everybody) are not counted.
 *
 * <p>A {@link MessageHook} that must run before every hook that can refuse the message (the size limit included),
 * so a client sending oversized mail in a loop is limited too.
 */
final class PostRateLimit implements MailHook, MessageHook {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final List<ClientNetwork> exempt;
    private final Clock clock;
    private final RefusalLog refusals;
    /** The end times of each client's recent messages, oldest first; at most {@link #perMinute} kept. */
    private final Map<InetAddress, Deque<Instant>> recent = new ConcurrentHashMap<>();

    PostRateLimit(int perMinute, List<ClientNetwork> exempt, Clock clock, RefusalLog refusals) {
        this.perMinute = perMinute;
        this.exempt = exempt;
        this.clock = clock;
        this.refusals = refusals;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        InetAddress client = limitedClient(session);
        if (client == null) {
            return HookResult.DECLINED;
        }
        Instant now = clock.instant();
        Deque<Instant> times = recent.get(client);
        if (times == null) {
            return HookResult.DECLINED;
        }
        Instant oldest;
        synchronized (times) {
            prune(times, now);
            if (times.size() < perMinute) {
                return HookResult.DECLINED;
            }
            oldest = times.peekFirst();
        }
        long wait = Math.max(1, Duration.between(now, oldest.plus(WINDOW)).toSeconds() + 1);
        refusals.repeated("a message", client.getHostAddress(), "more than " + perMinute + " messages a minute");
        return SmtpReplies.tooManyPosts(client.getHostAddress(), perMinute, wait);
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        InetAddress client = limitedClient(session);
        if (client != null) {
            Instant now = clock.instant();
            Deque<Instant> times = recent.computeIfAbsent(client, c -> new ArrayDeque<>());
            synchronized (times) {
                prune(times, now);
                times.addLast(now);
                while (times.size() > perMinute) {
                    times.removeFirst();
                }
            }
            if (recent.size() > 10_000) {
                forgetIdleClients(now);
            }
        }
        return HookResult.DECLINED;
    }

    /** Keeps the map as small as the set of clients that sent something in the last minute. */
    private void forgetIdleClients(Instant now) {
        recent.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
    }

    private static void prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    /** The client address, or null when there is no limit for it. */
    private InetAddress limitedClient(SMTPSession session) {
        InetSocketAddress remote = session.getRemoteAddress();
        if (perMinute <= 0 || remote == null || remote.getAddress() == null) {
            return null;
        }
        InetAddress client = remote.getAddress();
        return exempt.stream().anyMatch(n -> n.contains(client)) ? null : client;
    }
}
