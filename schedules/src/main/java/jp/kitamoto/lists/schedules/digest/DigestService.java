package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.schedules.store.DigestRunMapper;
import jp.kitamoto.lists.schedules.store.DigestRunMapper.DigestRun;
import jp.kitamoto.lists.schedules.store.DigestRunMapper.DigestedPost;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.DigestMapper;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes the lists' digests, each at most once, as {@link jp.kitamoto.lists.schedules.service.SendService} makes
 * notices: a digest is claimed by inserting its {@code digest_runs} row (unique per list, cadence and set time) in
 * the same transaction in which the Distributor stores the digest and one delivery row per recipient, so a crash
 * leaves either nothing (made again after the restart, with the same posts) or everything (the delivery workers
 * send it, with their own retry and crash rules).
 *
 * <p>What a digest holds is decided by post numbers, not by times: every post the list numbered after the one the
 * previous digest of that cadence ended with, up to the last one numbered when the digest is made (the list's row
 * is locked first, so no post can take a number in between and be skipped). A set time missed while the server was
 * down is made up for once, when the server is back (the sweep runs at start-up): a digest is its members' only
 * copy of the posts, so it is sent late rather than not at all, and several missed set times give one digest with
 * all their posts.
 *
 * <p>One digest is made per language its recipients read (Japanese, English): the same posts, the fixed texts in
 * the members' language, each addressed to its members only ({@link Distributor#distributeDigest}). The run's row
 * then records the first (Japanese) digest's post and the recipients of all of them.
 */
public final class DigestService {
    private static final Logger log = LoggerFactory.getLogger(DigestService.class);

    /** What {@link #fire} did. */
    public enum Outcome {
        /** The digest and its delivery rows were made. */
        MADE,
        /** Due, but no post since the previous digest: recorded, nothing sent. */
        NO_POSTS,
        /** Due, with posts, but nobody receives the digest now: recorded (those posts count as covered). */
        NO_RECIPIENTS,
        /** Not due by the injected clock, or already made (by the other trigger, or before a restart). */
        NOT_DUE,
        /** The list offers no such digest (any more), or is closed. */
        NOT_OFFERED
    }

    private final Database db;
    private final Clock clock;
    private final Distributor distributor;
    private final DigestComposer composer;
    private volatile DigestTriggers triggers = DigestTriggers.NONE;

    public DigestService(Database db, Clock clock, Distributor distributor, DigestComposer composer) {
        db.addMappers(DigestRunMapper.class);
        this.db = db;
        this.clock = clock;
        this.distributor = distributor;
        this.composer = composer;
    }

    /** Called by the scheduler when it starts (and with null when it stops). */
    public void useTriggers(DigestTriggers t) {
        this.triggers = t == null ? DigestTriggers.NONE : t;
    }

    /** Makes the digest of a list and cadence if one is owed now. */
    public Outcome fire(long listId, DigestCadence cadence) {
        Outcome o = db.inTransaction(s -> fireIn(s, listId, cadence));
        if (o == Outcome.MADE) {
            distributor.wake();
        }
        return o;
    }

    private Outcome fireIn(SqlSession s, long listId, DigestCadence cadence) {
        Optional<DigestSchedule> found = s.getMapper(DigestMapper.class).find(listId, cadence);
        Optional<MailingList> list = s.getMapper(ListMapper.class).findById(listId);
        if (found.isEmpty() || list.isEmpty() || !list.get().isOpen()) {
            return Outcome.NOT_OFFERED;
        }
        DigestSchedule d = found.get();
        DigestRunMapper runs = s.getMapper(DigestRunMapper.class);
        Instant now = clock.instant();
        Optional<Instant> owed = DigestTiming.owed(d, now, runs.selectLastNominal(listId, cadence));
        if (owed.isEmpty()) {
            return Outcome.NOT_DUE;
        }
        long nominal = owed.get().toEpochMilli();
        ListMapper lists = s.getMapper(ListMapper.class);
        lists.lockSequence(listId);
        Long covered = runs.selectCoveredSequence(listId, cadence);
        long from = Math.max(d.sinceSequence(), covered == null ? Long.MIN_VALUE : covered);
        long to = Math.max(from, lists.selectLastSequence(listId));
        if (runs.claim(listId, cadence, nominal, from, to, now.toEpochMilli()) != 1) {
            return Outcome.NOT_DUE;
        }
        List<DigestedPost> posts = runs.findPosts(listId, from, to);
        if (posts.isEmpty()) {
            log.info("digest {} {} of {}: no posts, nothing sent", cadence, japan(owed.get()), list.get().localPart());
            return Outcome.NO_POSTS;
        }
        if (s.getMapper(DigestMapper.class).countRecipients(listId, now.toEpochMilli()) == 0) {
            runs.recordMade(listId, cadence, nominal, posts.size(), null, 0);
            log.info("digest {} {} of {}: {} posts, nobody takes the digest", cadence, japan(owed.get()),
                    list.get().localPart(), posts.size());
            return Outcome.NO_RECIPIENTS;
        }
        Long firstPost = null;
        int recipients = 0;
        for (Locale language : languages(s, listId, now)) {
            byte[] message = composer.compose(list.get(), cadence, owed.get(), posts, Texts.of(language));
            long postId = distributor.distributeDigest(s, listId, message, language);
            firstPost = firstPost == null ? postId : firstPost;
            recipients += (int) s.getMapper(DeliveryMapper.class).countByPost(postId).stream()
                    .mapToLong(DeliveryMapper.StateCount::count).sum();
            log.info("digest {} {} of {} ({}): posts {} to {} in post {}", cadence, japan(owed.get()),
                    list.get().localPart(), language, from + 1, to, postId);
        }
        runs.recordMade(listId, cadence, nominal, posts.size(), firstPost, recipients);
        log.info("digest {} {} of {}: {} recipients", cadence, japan(owed.get()), list.get().localPart(), recipients);
        return Outcome.MADE;
    }

    /**
     * The languages the digest's recipients read, Japanese first: one digest each, so that every member gets the
     * fixed texts in their own language. Usually Japanese alone, which costs nothing more than before.
     */
    private static List<Locale> languages(SqlSession s, long listId, Instant now) {
        return s.getMapper(DigestMapper.class).findRecipientLanguages(listId, now.toEpochMilli()).stream()
                .map(Locale::forLanguageTag).map(l -> Texts.of(l).locale()).distinct()
                .sorted(Comparator.comparing((Locale l) -> !l.equals(Texts.JAPANESE))
                        .thenComparing(Locale::getLanguage))
                .toList();
    }

    /**
     * What the periodic sweep does: makes every digest owed now (a safety net for a lost trigger, and after
     * downtime), then gives the scheduler the new plan. Returns how many digests were made.
     */
    public int sweep() {
        int made = 0;
        for (DigestSchedule d : offered()) {
            try {
                if (fire(d.listId(), d.cadence()) == Outcome.MADE) {
                    made++;
                }
            } catch (RuntimeException e) {
                // Nothing was committed; the next sweep (a minute later) tries again, so no post is skipped.
                log.error("digest {} of list {} failed; tried again at the next sweep", d.cadence(), d.listId(), e);
            }
        }
        replan();
        return made;
    }

    /** Tells the scheduler when each offered digest is next due. */
    public void replan() {
        triggers.plan(plan());
    }

    /** For each digest offered now: the owed set time (in the past: fire now), else the next one. */
    public List<DigestTriggers.Plan> plan() {
        Instant now = clock.instant();
        List<DigestTriggers.Plan> out = new ArrayList<>();
        for (DigestSchedule d : offered()) {
            Long last = db.read(s -> s.getMapper(DigestRunMapper.class).selectLastNominal(d.listId(), d.cadence()));
            Instant due = DigestTiming.owed(d, now, last).orElseGet(() -> DigestTiming.nextAfter(d, now));
            out.add(new DigestTriggers.Plan(d.listId(), d.cadence(), due.toEpochMilli()));
        }
        return out;
    }

    /** The latest digests of a list, newest first. */
    public List<DigestRun> history(long listId, int limit) {
        return db.read(s -> s.getMapper(DigestRunMapper.class).findByList(listId, limit));
    }

    private static String japan(Instant t) {
        return t.atZone(jp.kitamoto.lists.domain.JapanTime.ZONE).toLocalDateTime() + " JST";
    }

    private List<DigestSchedule> offered() {
        return db.read(s -> s.getMapper(DigestMapper.class).findAllOfOpenLists());
    }
}
