package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.digest.DigestService;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.service.SendService;
import jp.kitamoto.lists.store.Database;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.spi.JobFactory;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;
import java.util.Set;

/**
 * The Quartz scheduler of this process: two threads, the job store {@link QuartzStore} chooses (RAM on SQLite, the
 * clustered JDBC store on PostgreSQL), and every SCHEDULED send of our table given a trigger at start-up.
 */
public final class QuartzScheduling {
    private static final String DAILY_GROUP = "daily";
    private final Scheduler scheduler;
    private final QuartzTriggers triggers;
    private final SendService sends;
    private final DigestService digests;
    /** Tasks of {@link #scheduleDaily}, by job name. */
    private final Map<String, Runnable> dailyTasks;

    private QuartzScheduling(Scheduler scheduler, QuartzTriggers triggers, SendService sends, DigestService digests,
                             Map<String, Runnable> dailyTasks) {
        this.scheduler = scheduler;
        this.triggers = triggers;
        this.sends = sends;
        this.digests = digests;
        this.dailyTasks = dailyTasks;
    }

    public static QuartzScheduling start(SendService sends, DigestService digests, Clock clock, Database db) {
        Properties p = QuartzStore.properties(db);
        try {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            QuartzTriggers triggers = new QuartzTriggers(scheduler, clock);
            Map<String, Runnable> daily = new ConcurrentHashMap<>();
            JobFactory sendJobs = QuartzTriggers.jobFactory(sends, digests, triggers);
            scheduler.setJobFactory((bundle, s) -> bundle.getJobDetail().getJobClass() == DailyTaskJob.class
                    ? new DailyTaskJob(bundle.getJobDetail().getKey().getName(),
                            daily.get(bundle.getJobDetail().getKey().getName()))
                    : sendJobs.newJob(bundle, s));
            QuartzScheduling q = new QuartzScheduling(scheduler, triggers, sends, digests, daily);
            // On the clustered store the triggers are already there (another node may be about to fire one): only a
            // missing one is added. On the RAM store none is there yet.
            for (ScheduledSend s : sends.scheduled()) {
                triggers.ensureScheduled(s.id(), s.dueAt());
            }
            triggers.scheduleSweep();
            sends.useTriggers(triggers);
            digests.useTriggers(new DigestQuartzTriggers(scheduler, clock));
            digests.replan();
            scheduler.start();
            return q;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Whether this scheduler shares its triggers with other nodes (the clustered JDBC store). */
    public boolean clustered() {
        try {
            return scheduler.getMetaData().isJobStoreClustered();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Quartz's id of this node ({@link NodeInstanceId} on the clustered store). */
    public String instanceId() {
        try {
            return scheduler.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        sends.useTriggers(null);
        digests.useTriggers(null);
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    void triggerSweepInternal() throws SchedulerException {
        scheduler.triggerJob(QuartzTriggers.SWEEP);
    }

    public void triggerSweep() {
        try {
            triggerSweepInternal();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code task} every day at {@code at} in {@code zone} (the server's own jobs, such as the daily backup of
     * issue #10). A run missed while the server was down is not made up for: the next day's run comes as usual.
     */
    public void scheduleDaily(String name, LocalTime at, ZoneId zone, Runnable task) {
        dailyTasks.put(name, task);
        JobKey key = JobKey.jobKey(name, DAILY_GROUP);
        try {
            // Replace: a persistent store still has yesterday's definition, perhaps with another time.
            scheduler.scheduleJob(JobBuilder.newJob(DailyTaskJob.class).withIdentity(key).build(),
                    Set.of(TriggerBuilder.newTrigger().withIdentity(name, DAILY_GROUP).forJob(key)
                            .withSchedule(CronScheduleBuilder.dailyAtHourAndMinute(at.getHour(), at.getMinute())
                                    .inTimeZone(TimeZone.getTimeZone(zone))
                                    .withMisfireHandlingInstructionDoNothing())
                            .build()), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot schedule the daily task " + name + ": " + e.getMessage(), e);
        }
    }

    /** The trigger of a daily task (for its next time), or null. */
    public Trigger dailyTrigger(String name) {
        try {
            return scheduler.getTrigger(org.quartz.TriggerKey.triggerKey(name, DAILY_GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a daily task now, through Quartz (tests; an operator's "now"). */
    public void runDailyNow(String name) {
        try {
            scheduler.triggerJob(JobKey.jobKey(name, DAILY_GROUP));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    public Trigger triggerOf(long sendId) {
        try {
            return triggers.triggerOf(sendId);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }
}
