package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.store.PostMapper.PostForDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends every pending delivery row to the smarthost. The rows are the queue: a dispatcher reads due rows in id
 * order and turns each into a ready {@link Copy} (the post's shared bytes prepared once and cached, the personal
 * header block from {@link CopyHeaders}); N pipelining {@link SmarthostConnection}s on one I/O thread take copies as
 * they can, and the {@link StatusWriter} records the outcomes in group commits. After a crash or restart the rows
 * still pending are simply sent; rows recorded as sent never are again.
 *
 * <p>It stays one class because the dispatcher, the wake-ups and the shutdown order share one lifecycle (start the
 * connections, drain the refusals, stop in that order); the per-copy work lives in the classes it wires.
 */
public final class DeliveryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final int FIRST_BATCH = 32;
    /**
     * Rows a signing task takes at once, after each wake-up: few, so that the first signed copies leave a few
     * milliseconds after the 250 (a task's copies are handed over together, when all are signed).
     */
    private static final int FIRST_SIGNING_CHUNK = 8;
    /**
     * Rows a signing task takes once a post is under way (the size doubles per task up to this). Each task costs a
     * hand-off to a signing thread, a wake-up of the dispatcher when its slot frees and a wake-up of the I/O thread
     * for its copies; on two cores that both sign, every wake-up takes a core from a signature. Measured at 100,000
     * signed copies: 16 rows a task woke the I/O thread 6,000 times a second and the signing threads were
     * preempted 6,700 times a second.
     */
    static final int SIGNING_CHUNK = 128;
    /**
     * The start of the last reply of a copy deferred while the smarthost refused most copies; the staff dashboard
     * looks for it (admin-web's {@code DeliveryActivityMapper}), so change both together.
     */
    public static final String DEFERRED_BY_BREAKER = "deferred, the smarthost refuses most copies: ";

    private final Database db;
    private final Settings settings;
    private final Clock clock;
    private final RetryPolicy retry;
    private final CopyHeaders headers;
    private final SmarthostOptions options;
    /** Makes the header blocks on one thread per core when they are signed (else on the dispatcher thread). */
    private final boolean signsInParallel;
    private SigningPool signing;
    /** Copies ready to send; bounded, so memory does not grow with the list. */
    private final BlockingQueue<Copy> queue;
    /** Copies whose connection died with their outcome unknown: sent again before anything else. */
    private final Queue<Copy> handedBack = new ConcurrentLinkedQueue<>();
    /** Rows dispatched and not yet released: never dispatched twice. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Rows whose outcome is committed; released from {@link #inFlight} only before the next read (see dispatch). */
    private final Queue<Long> completed = new ConcurrentLinkedQueue<>();
    private final Semaphore wakeups = new Semaphore(0);
    private final StatusWriter status;
    /** Reads (one node) or claims (several nodes on PostgreSQL) the due rows. */
    private final DueRows dueRows;
    private volatile RefusalListener refusals = RefusalListener.NONE;
    private volatile FailureListener failures = FailureListener.NONE;
    private volatile BreakerListener breakerListener = BreakerListener.NONE;
    /**
     * Runs the refusal listener (a bounce count, perhaps a notice to the owners) off the I/O thread, after the
     * outcome is committed, and counts the held refusals once their window has passed.
     */
    private ScheduledExecutorService refusalCounter;
    /** Many refusals to many domains at once: the smarthost's problem, not the members' (see {@link RefusalBreaker}). */
    private final RefusalBreaker breaker = new RefusalBreaker();
    /**
     * Refusals waiting to be counted as bounces: each is counted once the breaker's window after it has passed
     * without the breaker opening, so that the refusals that lead up to an opening (before there were enough of them
     * to see the pattern) are not counted against members either. In time order (one I/O thread adds them).
     */
    private final Queue<HeldRefusal> heldRefusals = new ConcurrentLinkedQueue<>();
    /** Only the dispatcher thread touches it. */
    private final PreparedPosts posts = PreparedPosts.forHeap();
    private SmarthostClient client;
    private Thread dispatcher;
    private volatile boolean running;

    public DeliveryService(Database db, Settings settings, Clock clock) {
        this(db, settings, clock, CopySigner.NONE);
    }

    /**
     * With a signer (DKIM) over each copy's personal header block and the post's canonical shared bytes, called on
     * the dispatcher thread before the copy is queued ({@link CopyHeaders#signed}).
     */
    public DeliveryService(Database db, Settings settings, Clock clock, CopySigner signer) {
        this(db, settings, clock, CopyHeaders.signed(CopyHeaders.standard(settings.server().publicUrl()), signer),
                SmarthostOptions.from(settings), signer != CopySigner.NONE);
    }

    public DeliveryService(Database db, Settings settings, Clock clock, CopyHeaders headers, SmarthostOptions options) {
        this(db, settings, clock, headers, options, false);
    }

    /**
     * @param signsInParallel the header blocks cost an RSA signature each ({@link SigningPool}): make them on one
     *                        thread per core instead of the dispatcher thread
     */
    DeliveryService(Database db, Settings settings, Clock clock, CopyHeaders headers, SmarthostOptions options,
                    boolean signsInParallel) {
        this.signsInParallel = signsInParallel;
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.retry = RetryPolicy.from(settings.delivery());
        this.headers = headers;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(Math.max(settings.delivery().batchSize() * 2, 16));
        this.status = new StatusWriter(db, completed::add);
        this.dueRows = DueRows.forDatabase(db, settings, clock, inFlight);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        status.start();
        dueRows.start();
        refusalCounter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "delivery-refusals");
            t.setDaemon(true);
            return t;
        });
        refusalCounter.scheduleWithFixedDelay(this::countHeldRefusals, 1, 1, TimeUnit.SECONDS);
        client = new SmarthostClient(options, settings.delivery().connections(), new Flow());
        client.connectAhead();
        if (signsInParallel) {
            signing = SigningPool.perCore();
        }
        warmUp();
        dispatcher = new Thread(this::dispatch, "delivery-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
        log.info("delivery started: {} connections to {}:{}{}", settings.delivery().connections(),
                options.host(), options.port(), options.startTls() == StartTls.OFF ? "" : " (STARTTLS " + options.startTls() + ")");
    }

    /**
     * Runs the first copy's path once on nothing, so that the first copy of the first post does not pay for
     * MyBatis preparing its statement and for cold code (measured: 40 ms between the rows read and the copy queued).
     */
    private void warmUp() {
        try {
            db.read(s -> s.getMapper(PostMapper.class).selectForDelivery(-1));
            PreparedPost dummy = new PreparedPost(-1, new ListAddresses("warm-up", settings.server().domain()),
                    jp.kitamoto.lists.domain.PostOrigin.SMTP, "Subject: x\n\n.x\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // The copy's own path: its personal block (and DKIM signature, which loads the RSA provider's native
            // code), the Copy, and the SMTP commands it becomes.
            DueDelivery row = new DueDelivery(-1, -1, "warm-up@" + settings.server().domain(), "warm-up-token", 0, 0);
            Copy copy = prepare(dummy, row);
            if (copy != null) {
                io.netty.handler.codec.smtp.SmtpRequests.mail(copy.envelopeFrom);
                io.netty.handler.codec.smtp.SmtpRequests.rcpt(copy.recipient);
                copy.newAttempt();
            }
        } catch (RuntimeException e) {
            log.debug("delivery warm-up: {}", e.toString());
        }
    }

    /** Who counts a smarthost's 5xx refusal of a recipient as a bounce (the bounce handler needs the posting service). */
    public void onRecipientRefused(RefusalListener listener) {
        this.refusals = listener;
    }

    /** Who looks at a post whose copies failed for good (the owners' report when most of them did). */
    public void onCopiesFailed(FailureListener listener) {
        this.failures = listener;
    }

    /** Who tells staff when the smarthost refuses most copies (the breaker opens) and when it stops. */
    public void onBreaker(BreakerListener listener) {
        this.breakerListener = listener;
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
        int chunk = FIRST_SIGNING_CHUNK;
        long cursor = 0;
        while (running) {
            try {
                // A read sees a snapshot. Releasing a row only before a read that starts after its outcome was
                // committed means no stale snapshot can show a sent row as pending and send it twice.
                for (Long done = completed.poll(); done != null; done = completed.poll()) {
                    inFlight.remove(done);
                    posts.release(done);
                }
                long now = clock.millis();
                long after = cursor;
                int limit = batch;
                List<DueDelivery> due = dueRows.take(now, after, limit);
                List<Row> toSign = new ArrayList<>(chunk);
                for (DueDelivery d : due) {
                    if (!inFlight.add(d.id())) {
                        continue;
                    }
                    PreparedPost p = post(d);
                    if (p == null) {
                        continue;
                    }
                    if (!posts.take(d.id(), p)) {
                        // Too many bytes of other posts in hand: the row stays due and is read again later.
                        inFlight.remove(d.id());
                        continue;
                    }
                    if (signing == null) {
                        enqueue(prepare(p, d));
                        continue;
                    }
                    toSign.add(new Row(p, d));
                    if (toSign.size() == chunk) {
                        sign(toSign);
                        chunk = Math.min(chunk * 2, SIGNING_CHUNK);
                        toSign = new ArrayList<>(chunk);
                    }
                }
                if (!toSign.isEmpty()) {
                    sign(toSign);
                }
                if (due.size() < limit) {
                    cursor = 0;
                    batch = Math.min(FIRST_BATCH, maxBatch);
                    chunk = FIRST_SIGNING_CHUNK;
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

    /** Hands a copy to the connections, waiting while they are all busy; null (decided elsewhere) is skipped. */
    private void enqueue(Copy c) throws InterruptedException {
        if (offer(c)) {
            client.kick(); // cheap when every connection is busy (one CAS each)
        }
    }

    /** Queues a copy without waking the connections (unless the queue is full); false if there was none. */
    private boolean offer(Copy c) throws InterruptedException {
        if (c == null) {
            return false;
        }
        while (!queue.offer(c)) {
            // Connections are busy; the bound keeps memory flat whatever the list size.
            client.kick();
            if (queue.offer(c, 100, TimeUnit.MILLISECONDS) || !running) {
                break;
            }
        }
        return true;
    }

    /** A row with its post, looked up on the dispatcher thread (the post cache is the dispatcher's own). */
    private record Row(PreparedPost post, DueDelivery delivery) {
    }

    /** Makes and queues the copies of a group of rows on the {@link SigningPool}. */
    private void sign(List<Row> rows) throws InterruptedException {
        signing.submit(rows.size(), () -> {
            try {
                // Signed first, handed over together: one wake-up of the I/O thread for the group, whose copies
                // then leave, are answered and are committed in the same turns of its loop. Handed over one by
                // one (a signature apart), each copy cost the I/O thread its own wake-ups and its own commit
                // (measured: a quarter of the server's CPU went to that thread at 1,900 signed copies/s).
                List<Copy> copies = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    copies.add(prepare(r.post(), r.delivery()));
                }
                boolean any = false;
                for (Copy c : copies) {
                    any |= offer(c);
                }
                if (any) {
                    client.kick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The prepared post of a row, or null when it has none (the row's outcome is then reported as failed). */
    private PreparedPost post(DueDelivery d) {
        Optional<PreparedPost> post = post(d.postId());
        if (post.isEmpty()) {
            status.submit(new StatusWriter.Failed(d.id(), "internal: post " + d.postId() + " has no prepared copy",
                    clock.millis()));
            return null;
        }
        return post.get();
    }

    /** The copy of one row ready for the wire, or null when its outcome is already decided (and reported). */
    private Copy prepare(PreparedPost p, DueDelivery d) {
        byte[] personal;
        try {
            personal = headers.headersFor(p, d);
        } catch (RuntimeException e) {
            log.error("delivery {}: the personal header block could not be made; retrying later", d.id(), e);
            status.submit(update(d, SendResult.temporary("internal: " + e), clock.millis()));
            return null;
        }
        return new Copy(d, p, SmtpPaths.forWire(Verp.sender(p.addresses(), d.token())), SmtpPaths.forWire(d.recipient()),
                personal);
    }

    private StatusWriter.Update update(DueDelivery d, SendResult result, long now) {
        return switch (result.kind()) {
            case SENT -> new StatusWriter.Sent(d.id(), result.reply(), now);
            case PERMANENT -> {
                log.warn("delivery {} of post {} to a subscriber failed permanently: {}", d.id(), d.postId(),
                        result.reply());
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

    private Optional<PreparedPost> post(long postId) {
        PreparedPost cached = posts.get(postId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<PostForDelivery> loaded = db.read(s -> s.getMapper(PostMapper.class).selectForDelivery(postId));
        if (loaded.isEmpty() || loaded.get().prepared() == null) {
            return Optional.empty();
        }
        PostForDelivery p = loaded.get();
        // CRLF and dot-stuffing once per post, not once per copy.
        PreparedPost prepared = new PreparedPost(postId, new ListAddresses(p.listLocalPart(), settings.server().domain()),
                p.origin(), p.prepared());
        posts.put(prepared);
        return Optional.of(prepared);
    }

    /** What the connections see of delivery; called on the I/O thread, so nothing here blocks. */
    private final class Flow implements CopyFlow {
        @Override
        public Copy next() {
            Copy c = handedBack.poll();
            return c != null ? c : queue.poll();
        }

        @Override
        public boolean hasWork() {
            return !handedBack.isEmpty() || !queue.isEmpty();
        }

        @Override
        public void handBack(Copy copy) {
            handedBack.add(copy);
            client.kick();
        }

        @Override
        public void report(List<Outcome> outcomes, Runnable done) {
            long now = clock.millis();
            boolean smarthostRefusing = watch(outcomes, now);
            List<StatusWriter.Update> updates = new ArrayList<>(outcomes.size());
            for (Outcome o : outcomes) {
                updates.add(update(o.copy().row, deferredIf(smarthostRefusing, o.result()), now));
            }
            // On the I/O thread, in one transaction (see SmarthostClient): no hand-off on the path of a copy.
            status.commitNow(updates);
            done.run();
            Set<Long> failedPosts = null; // most turns have none: no set made on the I/O thread for them
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome o = outcomes.get(i);
                if (o.result().recipientRefused() && !smarthostRefusing) {
                    recipientRefused(o.copy().row, o.result().reply(), now);
                }
                if (updates.get(i) instanceof StatusWriter.Failed) {
                    if (failedPosts == null) {
                        failedPosts = new java.util.TreeSet<>();
                    }
                    failedPosts.add(o.copy().row.postId());
                }
            }
            if (failedPosts != null) {
                failedPosts.forEach(DeliveryService.this::copiesFailed);
            }
        }
    }

    /**
     * Counts a group's outcomes in the breaker (on the I/O thread: counters only) and says whether the smarthost is
     * now taken to refuse most copies. Its opening and closing are logged once and told to the listener.
     */
    private boolean watch(List<CopyFlow.Outcome> outcomes, long now) {
        int accepted = 0;
        boolean refused = false;
        for (int i = 0; i < outcomes.size(); i++) {
            CopyFlow.Outcome o = outcomes.get(i);
            if (o.result().kind() == SendResult.Kind.SENT) {
                accepted++;
            } else if (o.result().kind() == SendResult.Kind.PERMANENT) {
                breaker.refused(now, o.copy().row.recipient(), o.result().reply());
                refused = true;
            }
        }
        if (accepted > 0) {
            breaker.accepted(now, accepted);
        }
        if (!refused && !breaker.isOpen()) {
            return false; // nothing can open it; the common case costs no more than this
        }
        RefusalBreaker.Change change = breaker.decide(now);
        if (change != RefusalBreaker.Change.NONE) {
            announce(change, now);
        }
        return breaker.isOpen();
    }

    /**
     * While the smarthost refuses most copies, a 5xx is deferred (retried with the usual back-off, failed only after
     * {@code delivery.give-up-after-hours}) instead of failed: a post should not be thrown away because our own relay
     * was misconfigured for ten minutes, and the retries close the breaker as soon as the smarthost accepts again.
     * The copies refused before the breaker opened stay failed; staff can send them again from the post's page.
     */
    private static SendResult deferredIf(boolean smarthostRefusing, SendResult result) {
        if (!smarthostRefusing || result.kind() != SendResult.Kind.PERMANENT) {
            return result;
        }
        // The addresses masked: the dashboard shows these replies, and it names no member.
        return SendResult.temporary(DEFERRED_BY_BREAKER + RefusalBreaker.withoutAddresses(result.reply()));
    }

    private void announce(RefusalBreaker.Change change, long now) {
        BreakerListener.Trip trip = breaker.lastTrip();
        BreakerListener listener = breakerListener;
        if (change == RefusalBreaker.Change.OPENED) {
            // No address in this line: the reply's are masked, and no recipient is named (personal data).
            log.error("the smarthost {}:{} refuses most copies: {} refused and {} accepted in the last {} minutes, to "
                            + "at least {} domains; last reply: {}. Taken as the smarthost's problem, not the members': "
                            + "no bounce is counted and refused copies are deferred (retried) instead of failed until it "
                            + "accepts as many as it refuses. Check its relay, authentication and blocklist settings.",
                    options.host(), options.port(), trip.refused(), trip.accepted(), RefusalBreaker.WINDOW_MINUTES,
                    trip.domains(), trip.reply());
            afterCommit(() -> listener.opened(trip), "the smarthost's refusals could not be told to staff");
        } else {
            log.warn("the smarthost {}:{} accepts copies again (refusing most since {} ms ago): bounces count again",
                    options.host(), options.port(), now - trip.at());
            afterCommit(() -> listener.closed(trip, now), "the smarthost's recovery could not be told to staff");
        }
    }

    /** A refusal to count as a bounce once its window has passed without the breaker opening. */
    private record HeldRefusal(long at, long deliveryId, String token, String reply) {
    }

    /**
     * A 5xx to RCPT or DATA (not to MAIL FROM): the recipient's mailbox may not take mail, which counts as a hard
     * bounce (the listener reads the reply). Held for the breaker's window (see {@link #heldRefusals}), then told on
     * the refusals thread, so that the I/O thread never waits for it.
     */
    private void recipientRefused(DueDelivery d, String reply, long now) {
        if (refusals == RefusalListener.NONE) {
            return;
        }
        heldRefusals.add(new HeldRefusal(now, d.id(), d.token(), reply));
    }

    /** Counts the held refusals whose window has passed; drops those the breaker opened after. */
    private void countHeldRefusals() {
        long now = clock.millis();
        RefusalListener listener = refusals;
        int dropped = 0;
        for (HeldRefusal h = heldRefusals.peek(); h != null && now - h.at() >= RefusalBreaker.WINDOW_MILLIS;
             h = heldRefusals.peek()) {
            heldRefusals.poll();
            if (breaker.openAtOrAfter(h.at())) {
                dropped++;
                continue;
            }
            try {
                listener.recipientRefused(h.token(), h.reply());
            } catch (RuntimeException e) {
                log.error("delivery {}: the refusal could not be counted as a bounce", h.deliveryId(), e);
            }
        }
        if (dropped > 0) {
            log.warn("{} refusals came while the smarthost refused most copies: counted against no member", dropped);
        }
    }

    /** Copies of a post failed for good: the listener looks at the post, off the I/O thread. */
    private void copiesFailed(long postId) {
        FailureListener listener = failures;
        if (listener == FailureListener.NONE) {
            return;
        }
        afterCommit(() -> listener.copiesFailed(postId),
                "post " + postId + ": its failed copies could not be looked at");
    }

    /** Runs a listener on the refusals thread, never on the I/O thread; when stopping, here rather than not at all. */
    private void afterCommit(Runnable work, String onFailure) {
        Runnable guarded = () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error(onFailure, e);
            }
        };
        try {
            refusalCounter.execute(guarded);
        } catch (RejectedExecutionException e) {
            guarded.run();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking new rows, lets each connection finish the copies in hand, and records every outcome. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            dispatcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (signing != null) {
            signing.close(); // before the connections stop: what it signed is still sent
        }
        client.shutdown(30_000);
        List<Copy> undispatched = new ArrayList<>();
        queue.drainTo(undispatched);
        dueRows.close(); // gives back what this node took and did not finish (several nodes)
        undispatched.forEach(c -> inFlight.remove(c.row.id()));
        handedBack.clear();
        status.close();
        if (!heldRefusals.isEmpty()) {
            // As after a crash: the next refusal of those mailboxes counts instead (less than a window is missed).
            log.info("delivery stopped with {} smarthost refusals held and not counted as bounces", heldRefusals.size());
            heldRefusals.clear();
        }
        refusalCounter.shutdown();
        try {
            if (!refusalCounter.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("delivery stopped with smarthost refusals not yet counted as bounces");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("delivery stopped");
    }
}
