package jp.kitamoto.lists.mail.delivery;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A circuit breaker over the smarthost's refusals: when, within the last {@value #WINDOW_MINUTES} minutes, at least
 * {@value #MIN_REFUSALS} copies to at least {@value #MIN_DOMAINS} different domains were refused with 5xx and the
 * refusals outnumber the copies accepted, the refusals are taken to be the smarthost's problem (a relay restriction,
 * authentication, our IP on a blocklist, a broken recipient table), not the members'.
 *
 * <p>Why these numbers: a healthy list refuses a few percent of its copies (old addresses), spread over many domains,
 * so "more than half" is the real signal and keeps a large list with many dead addresses from tripping it; ten
 * refusals keep a handful of dead addresses on a small list from tripping it; three domains keep one receiving
 * domain that refuses us (docomo blocking our IP, a company's domain gone) from tripping it, which the reply
 * classifier handles per copy. Five minutes is longer than one post takes to leave (seconds to a minute), shorter
 * than the back-off between retries grows to.
 *
 * <p>Once open it stays open, whatever time passes, until the smarthost accepts as many copies as it refuses within
 * the window: an idle hour does not close it, so the next wave of retries is not counted against members before it
 * trips again. Per node (several nodes each keep their own; each sees its share of the copies, and the thresholds hold
 * for each share of a large post). Thread-safe; called on the I/O thread once per group of outcomes, so it only adds
 * to counters in {@value #BUCKETS} buckets.
 */
final class RefusalBreaker {
    static final int WINDOW_MINUTES = 5;
    static final int MIN_REFUSALS = 10;
    static final int MIN_DOMAINS = 3;
    static final int BUCKETS = 30;
    static final long WINDOW_MILLIS = WINDOW_MINUTES * 60_000L;
    private static final long BUCKET_MILLIS = WINDOW_MILLIS / BUCKETS;
    private static final Pattern ADDRESS = Pattern.compile("<[^>]*>|[^\\s<>()\\[\\]]+@[^\\s<>()\\[\\]]+");

    enum Change {
        NONE, OPENED, CLOSED
    }

    private final long[] bucketStart = new long[BUCKETS];
    private final int[] accepted = new int[BUCKETS];
    private final int[] refused = new int[BUCKETS];
    /** Up to {@link #MIN_DOMAINS} refused domains per bucket: enough to know whether the window holds that many. */
    @SuppressWarnings("unchecked")
    private final Set<String>[] domains = new Set[BUCKETS];
    private String lastReply = "";
    private boolean open;
    private long openedAt = -1;
    private long closedAt = -1;
    private BreakerListener.Trip trip;

    RefusalBreaker() {
        for (int i = 0; i < BUCKETS; i++) {
            domains[i] = new HashSet<>(4);
            bucketStart[i] = Long.MIN_VALUE / 2; // long before any window (no overflow in now - start)
        }
    }

    /** Counts one copy the smarthost accepted (2xx). */
    synchronized void accepted(long now, int copies) {
        bucket(now);
        accepted[index(now)] += copies;
    }

    /** Counts one copy the smarthost refused for good (5xx to MAIL, RCPT, DATA or the message). */
    synchronized void refused(long now, String recipient, String reply) {
        int i = bucket(now);
        refused[i]++;
        if (domains[i].size() < MIN_DOMAINS) {
            domains[i].add(domainOf(recipient));
        }
        lastReply = reply;
    }

    /** After a group of outcomes is counted: whether that opened or closed the breaker. */
    synchronized Change decide(long now) {
        bucket(now);
        int r = 0;
        int a = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (now - bucketStart[i] < WINDOW_MILLIS) {
                r += refused[i];
                a += accepted[i];
            }
        }
        if (!open && r >= MIN_REFUSALS && r > a) {
            Set<String> d = new HashSet<>(4);
            for (int i = 0; i < BUCKETS && d.size() < MIN_DOMAINS; i++) {
                if (now - bucketStart[i] < WINDOW_MILLIS) {
                    d.addAll(domains[i]);
                }
            }
            if (d.size() >= MIN_DOMAINS) {
                open = true;
                openedAt = now;
                trip = new BreakerListener.Trip(now, r, a, MIN_DOMAINS, withoutAddresses(lastReply));
                return Change.OPENED;
            }
        }
        if (open && a > 0 && a >= r) {
            open = false;
            closedAt = now;
            return Change.CLOSED;
        }
        return Change.NONE;
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** What opened it last (null if it never opened). */
    synchronized BreakerListener.Trip lastTrip() {
        return trip;
    }

    /** Whether the breaker was open at any moment from {@code since} on (open now, or closed since then). */
    synchronized boolean openAtOrAfter(long since) {
        return open || closedAt >= since;
    }

    synchronized long openedAt() {
        return openedAt;
    }

    /** The bucket of {@code now}, emptied first when it last held an older slice of time. */
    private int bucket(long now) {
        int i = index(now);
        long start = now - Math.floorMod(now, BUCKET_MILLIS);
        if (bucketStart[i] != start) {
            bucketStart[i] = start;
            accepted[i] = 0;
            refused[i] = 0;
            domains[i].clear();
        }
        return i;
    }

    private static int index(long now) {
        return (int) Math.floorMod(Math.floorDiv(now, BUCKET_MILLIS), (long) BUCKETS);
    }

    private static String domainOf(String recipient) {
        int at = recipient == null ? -1 : recipient.lastIndexOf('@');
        return at < 0 ? "" : recipient.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** A reply fit for the log and for staff: the members' addresses it may name are personal data. */
    static String withoutAddresses(String reply) {
        return reply == null ? "" : ADDRESS.matcher(reply).replaceAll("<…>");
    }
}
