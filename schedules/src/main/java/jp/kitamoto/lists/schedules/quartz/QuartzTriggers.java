package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.digest.DigestService;
import jp.kitamoto.lists.schedules.service.SendService;
import jp.kitamoto.lists.schedules.service.SendTriggers;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.spi.JobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Date;
import java.util.Set;

/**
 * One Quartz job and trigger per SCHEDULED send, plus the sweep. Quartz keeps nothing we need after a restart:
 * on the RAM store (SQLite) the triggers are rebuilt from {@code sched_sends} at start-up; on the clustered store
 * (PostgreSQL) they are shared by the nodes and a missing one is added at start-up. The send jobs request recovery,
 * so that one running on a node that dies runs again on another (our claim on the row keeps it to one send).
 *
 * <p>Quartz fires by the wall clock while the services decide by the injected {@link Clock}; a trigger is set
 * {@code dueAt - clock.millis()} from the wall clock's now, which is the same instant in production (system clock)
 * and keeps tests that move the injected clock consistent.
 */
public final class QuartzTriggers implements SendTriggers {
    private static final Logger log = LoggerFactory.getLogger(QuartzTriggers.class);
    static final String SEND_GROUP = "sched-sends";
    static final JobKey SWEEP = JobKey.jobKey("sweep", "sched");

    private final Scheduler scheduler;
    private final Clock clock;

    QuartzTriggers(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    static JobFactory jobFactory(SendService sends, DigestService digests, QuartzTriggers triggers) {
        return (bundle, scheduler) -> {
            Class<?> type = bundle.getJobDetail().getJobClass();
            if (type == SendJob.class) {
                return new SendJob(sends, triggers);
            }
            if (type == SweepJob.class) {
                return new SweepJob(sends, digests);
            }
            if (type == DigestJob.class) {
                return new DigestJob(digests);
            }
            throw new SchedulerException("unknown job " + type);
        };
    }

    static JobKey jobKey(long sendId) {
        return JobKey.jobKey("send-" + sendId, SEND_GROUP);
    }

    /** Builds (or replaces) the trigger of one send. */
    @Override
    public void scheduled(long sendId, long dueAt) {
        JobDetail job = JobBuilder.newJob(SendJob.class).withIdentity(jobKey(sendId))
                .usingJobData(SendJob.SEND_ID, sendId).requestRecovery(true).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey("send-" + sendId, SEND_GROUP))
                .forJob(job).startAt(wallClock(dueAt))
                // A send whose time passed while we were down fires at once; SendService then applies the grace
                // period (send, or mark missed). Quartz's own threshold never decides that.
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            scheduler.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            // The row stays SCHEDULED; the sweep sends it within a minute of its time.
            log.error("cannot schedule trigger for send {}", sendId, e);
        }
    }

    /** Builds the trigger of one send unless the job store already has it (start-up; see the class comment). */
    void ensureScheduled(long sendId, long dueAt) {
        try {
            if (scheduler.checkExists(TriggerKey.triggerKey("send-" + sendId, SEND_GROUP))) {
                return;
            }
        } catch (SchedulerException e) {
            log.error("cannot look up the trigger of send {}", sendId, e);
        }
        scheduled(sendId, dueAt);
    }

    @Override
    public void withdrawn(long sendId) {
        try {
            scheduler.deleteJob(jobKey(sendId));
        } catch (SchedulerException e) {
            log.error("cannot withdraw trigger for send {}", sendId, e);
        }
    }

    /** The sweep, every minute from start-up. */
    void scheduleSweep() throws SchedulerException {
        if (scheduler.checkExists(SWEEP)) {
            return; // another node of the cluster made it; one sweep a minute for all of them is enough
        }
        JobDetail job = JobBuilder.newJob(SweepJob.class).withIdentity(SWEEP).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("sweep", "sched").forJob(job).startNow()
                // After a pause (a long GC, a suspended VM) run once, not once per missed minute.
                .withSchedule(SimpleScheduleBuilder.repeatMinutelyForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        scheduler.scheduleJob(job, Set.of(trigger), true);
    }

    Date wallClock(long dueAt) {
        return new Date(System.currentTimeMillis() + (dueAt - clock.millis()));
    }

    /** The trigger of a send, if any (tests and the status page). */
    public Trigger triggerOf(long sendId) throws SchedulerException {
        return scheduler.getTrigger(TriggerKey.triggerKey("send-" + sendId, SEND_GROUP));
    }
}
