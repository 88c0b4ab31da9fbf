package jp.kitamoto.lists.schedules;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.schedules.digest.DigestComposer;
import jp.kitamoto.lists.schedules.digest.DigestService;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.notice.NoticeComposer;
import jp.kitamoto.lists.schedules.quartz.QuartzScheduling;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.service.NoticeService;
import jp.kitamoto.lists.schedules.service.SendReports;
import jp.kitamoto.lists.schedules.service.SendService;
import jp.kitamoto.lists.schedules.store.CallMapper;
import jp.kitamoto.lists.schedules.store.NoticeMapper;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.HolidayCalendar;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The schedules module as the application sees it: construct it with its collaborators, call {@link #start()}
 * after the database and the delivery workers are up, and {@link #stop()} before they go down. The services
 * ({@link #notices()}, {@link #calls()}, {@link #sends()}, {@link #reports()}) are what the staff pages
 * (schedules-web) call: every change goes through them.
 *
 * <p>{@link #start()} gives every SCHEDULED row of {@code sched_sends} a Quartz trigger; sends that fell due
 * while the server was down fire at once, and go out only if still within their grace period. On PostgreSQL the
 * triggers live in Quartz's clustered JDBC store, shared by every node on the database (see
 * {@code quartz/QuartzStore}); on SQLite in memory.
 */
public final class Schedules implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final Database db;
    private final Clock clock;
    private final ScheduleService timing;
    private final SendService sends;
    private final NoticeService notices;
    private final CallService calls;
    private final SendReports reports;
    private final DigestService digests;
    private QuartzScheduling quartz;

    /** With the holiday data from {@code ./config/holidays/} if present, else the packed copy. */
    public Schedules(Database db, Clock clock, ListService lists, Distributor distributor, Settings settings) {
        this(db, clock, lists, distributor, settings, HolidayCalendar.load(Path.of("")));
    }

    public Schedules(Database db, Clock clock, ListService lists, Distributor distributor, Settings settings,
                     HolidayCalendar holidays) {
        db.addMappers(NoticeMapper.class, SendMapper.class, CallMapper.class);
        this.db = db;
        this.clock = clock;
        this.timing = new ScheduleService(clock, holidays);
        NoticeComposer composer = new NoticeComposer(settings, clock);
        this.sends = new SendService(db, timing, distributor, composer, settings);
        this.notices = new NoticeService(db, timing, sends, composer, distributor);
        this.calls = new CallService(db, timing, sends);
        this.reports = new SendReports(db);
        this.digests = new DigestService(db, clock, distributor,
                new DigestComposer(settings.server().domain(), settings.server().publicUrl(), clock));
        // ListService is not needed yet: lists are read inside the send transaction, where the Distributor works.
        java.util.Objects.requireNonNull(lists, "lists");
    }

    /** Starts Quartz with the triggers rebuilt from the table. */
    public synchronized void start() {
        if (quartz != null) {
            return;
        }
        quartz = QuartzScheduling.start(sends, digests, clock, db);
        List<ScheduledSend> pending = sends.scheduled();
        log.info("schedules started: {} pending sends, holiday data to {}, Quartz {}", pending.size(),
                timing.holidays().lastCoveredYear(), quartz.clustered()
                        ? "clustered on the database as node " + quartz.instanceId() : "in memory");
    }

    /** Stops Quartz, waiting for a running send to finish its transaction. */
    public synchronized void stop() {
        if (quartz != null) {
            quartz.stop();
            quartz = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs the sweep now through Quartz (admin "check now"; tests after moving the injected clock). */
    public void runDueNow() {
        if (quartz == null) {
            throw new IllegalStateException("schedules not started");
        }
        quartz.triggerSweep();
    }

    public NoticeService notices() {
        return notices;
    }

    public CallService calls() {
        return calls;
    }

    public SendService sends() {
        return sends;
    }

    /** The lists' digests (#12): made by the sweep and their own triggers; staff set them on the list's page. */
    public DigestService digests() {
        return digests;
    }

    public SendReports reports() {
        return reports;
    }

    public ScheduleService timing() {
        return timing;
    }

    /** The Quartz side, for tests and the status page; null when stopped. */
    public QuartzScheduling quartz() {
        return quartz;
    }
}
