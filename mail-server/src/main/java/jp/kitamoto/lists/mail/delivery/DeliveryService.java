package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.mail.pipeline.PersonalHeaders;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.store.PostMapper.PostForDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends every pending delivery row to the smarthost. The rows are the queue: a dispatcher reads due rows in id
 * order, N workers (one SMTP connection each) send them, and the {@link StatusWriter} records each outcome.
 * After a crash or restart the rows still pending are simply sent; rows recorded as sent never are again.
 */
public final class DeliveryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final int FIRST_BATCH = 32;
    private static final DueDelivery POISON = new DueDelivery(-1, -1, "", "", 0, 0);

    private final Database db;
    private final Settings settings;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Supplier<SmtpSender> senders;
    private final BlockingQueue<DueDelivery> queue;
    /** Rows dispatched and not yet released: never dispatched twice. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Rows whose outcome is committed; released from {@link #inFlight} only before the next read (see dispatch). */
    private final Queue<Long> completed = new ConcurrentLinkedQueue<>();
    private final Semaphore wakeups = new Semaphore(0);
    private final StatusWriter status;
    private final CopySigner signer;
    private volatile RefusalListener refusals = RefusalListener.NONE;
    private final List<Thread> workers = new ArrayList<>();
    private final Map<Long, PostForDelivery> posts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, PostForDelivery> eldest) {
            return size() > 32;
        }
    };
    private Thread dispatcher;
    private volatile boolean running;

    public DeliveryService(Database db, Settings settings, Clock clock, Supplier<SmtpSender> senders) {
        this(db, settings, clock, senders, CopySigner.NONE);
    }

    /** With a signer (DKIM) that sees each copy's final header fields just before it is sent. */
    public DeliveryService(Database db, Settings settings, Clock clock, Supplier<SmtpSender> senders, CopySigner signer) {
        this.signer = signer;
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.retry = RetryPolicy.from(settings.delivery());
        this.senders = senders;
        this.queue = new ArrayBlockingQueue<>(Math.max(settings.delivery().batchSize() * 2, 16));
        this.status = new StatusWriter(db, completed::add);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        status.start();
        for (int i = 0; i < settings.delivery().connections(); i++) {
            Thread t = new Thread(this::work, "delivery-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        dispatcher = new Thread(this::dispatch, "delivery-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
        log.info("delivery started: {} connections to {}:{}", settings.delivery().connections(),
                settings.smarthost().host(), settings.smarthost().port());
    }

    /** Who counts a smarthost's 5xx refusal of a recipient as a bounce (the bounce handler needs the posting service). */
    public void onRecipientRefused(RefusalListener listener) {
        this.refusals = listener;
    }

    /** New rows were committed: look for them now rather than at the next poll. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void dispatch() {
        int maxBatch = settings.delivery().batchSize();
        // Start small after each wake-up, so that the first copies leave at once, then grow to the full batch:
        // reading (and mapping) thousands of rows takes long enough to delay the first copy of a post.
        int batch = Math.min(FIRST_BATCH, maxBatch);
        long cursor = 0;
        while (running) {
            try {
                // A read sees a snapshot. Releasing a row only before a read that starts after its outcome was
                // committed means no stale snapshot can show a sent row as pending and send it twice.
                for (Long done = completed.poll(); done != null; done = completed.poll()) {
                    inFlight.remove(done);
                }
                long now = clock.millis();
                long after = cursor;
                int limit = batch;
                List<DueDelivery> due = db.read(s -> s.getMapper(DeliveryMapper.class).findDue(now, after, limit));
                for (DueDelivery d : due) {
                    if (inFlight.add(d.id())) {
                        while (running && !queue.offer(d, 100, TimeUnit.MILLISECONDS)) {
                            // Workers are busy; the queue bounds memory whatever the list size.
                        }
                    }
                }
                if (due.size() < limit) {
                    cursor = 0;
                    batch = Math.min(FIRST_BATCH, maxBatch);
                    wakeups.tryAcquire(settings.delivery().pollMillis(), TimeUnit.MILLISECONDS);
                    wakeups.drainPermits();
                } else {
                    cursor = due.get(due.size() - 1).id();
                    batch = Math.min(batch * 4, maxBatch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("delivery dispatcher: reading due deliveries failed; retrying", e);
                sleepQuietly(1000);
            }
        }
    }

    private void work() {
        try (SmtpSender sender = senders.get()) {
            sender.connectAhead();
            while (true) {
                DueDelivery d = queue.poll(200, TimeUnit.MILLISECONDS);
                if (d == POISON || (d == null && !running)) {
                    return;
                }
                if (d == null) {
                    continue;
                }
                deliver(sender, d);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(SmtpSender sender, DueDelivery d) {
        Optional<PostForDelivery> post = post(d.postId());
        long now;
        StatusWriter.Update update;
        String refusal = null;
        if (post.isEmpty() || post.get().prepared() == null) {
            now = clock.millis();
            update = new StatusWriter.Failed(d.id(), "internal: post " + d.postId() + " has no prepared copy", now);
        } else {
            PostForDelivery p = post.get();
            ListAddresses addresses = new ListAddresses(p.listLocalPart(), settings.server().domain());
            // Only list copies are personal (RFC 8058 unsubscribe); only a subscription has a token to put there.
            byte[] personal = (p.origin() == PostOrigin.SMTP || p.origin() == PostOrigin.NOTICE)
                    && Verp.isSubscription(d.token())
                    ? PersonalHeaders.forRecipient(settings.server().publicUrl(), addresses, d.token())
                    : new byte[0];
            personal = signer.sign(d.postId(), personal, p.prepared());
            SendResult result = sender.send(Verp.sender(addresses, d.token()), d.recipient(), personal, p.prepared());
            now = clock.millis();
            update = switch (result.kind()) {
                case SENT -> new StatusWriter.Sent(d.id(), result.reply(), now);
                case PERMANENT -> {
                    log.warn("delivery {} of post {} to a subscriber failed permanently: {}", d.id(), d.postId(),
                            result.reply());
                    refusal = result.recipientRefused() ? result.reply() : null;
                    yield new StatusWriter.Failed(d.id(), result.reply(), now);
                }
                case TEMPORARY -> {
                    OptionalLong next = retry.nextAttempt(d.attempts(), d.createdAt(), now);
                    if (next.isEmpty()) {
                        log.warn("delivery {} of post {} gave up after {} attempts: {}", d.id(), d.postId(),
                                d.attempts() + 1, result.reply());
                        yield new StatusWriter.Failed(d.id(), "gave up: " + result.reply(), now);
                    }
                    yield new StatusWriter.Retry(d.id(), next.getAsLong(), result.reply(), now);
                }
            };
        }
        try {
            // Wait for the record before the next copy: at most one unrecorded copy per connection.
            status.submit(update).join();
        } catch (RuntimeException e) {
            log.error("delivery {} outcome could not be recorded; it may be sent again after a restart", d.id(), e);
        }
        if (refusal != null) {
            try {
                refusals.recipientRefused(d.token(), refusal);
            } catch (RuntimeException e) {
                log.error("delivery {}: the refusal could not be counted as a bounce", d.id(), e);
            }
        }
    }

    private Optional<PostForDelivery> post(long postId) {
        synchronized (posts) {
            PostForDelivery cached = posts.get(postId);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<PostForDelivery> loaded = db.read(s -> s.getMapper(PostMapper.class).selectForDelivery(postId));
        loaded.ifPresent(p -> {
            synchronized (posts) {
                posts.put(postId, p);
            }
        });
        return loaded;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking new rows, lets each worker finish the copy in hand, and records every outcome. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            dispatcher.join(5000);
            List<DueDelivery> undispatched = new ArrayList<>();
            queue.drainTo(undispatched);
            undispatched.forEach(d -> inFlight.remove(d.id()));
            for (int i = 0; i < workers.size(); i++) {
                queue.offer(POISON);
            }
            for (Thread t : workers) {
                t.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status.close();
        log.info("delivery stopped");
    }
}
