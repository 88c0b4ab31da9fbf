package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.digest.DigestTriggers;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One Quartz job and one-shot trigger per digest a list offers, at its next set time (or now, for one owed after
 * downtime). Like the notices' triggers they live in the RAM store and are rebuilt from the tables: at start-up,
 * after each digest, and by the sweep every minute, which is also how a change on the list's settings page reaches
 * the scheduler. A trigger is replaced only when its time changed (by the wall clock: the injected clock may have
 * been moved, or the system clock set).
 */
final class DigestQuartzTriggers implements DigestTriggers {
    private static final Logger log = LoggerFactory.getLogger(DigestQuartzTriggers.class);
    static final String GROUP = "digests";

    private final Scheduler scheduler;
    private final Clock clock;

    DigestQuartzTriggers(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    static String name(Plan p) {
        return "digest-" + p.listId() + "-" + p.cadence().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void plan(List<Plan> plans) {
        Set<String> wanted = new HashSet<>();
        try {
            for (Plan p : plans) {
                String name = name(p);
                wanted.add(name);
                TriggerKey key = TriggerKey.triggerKey(name, GROUP);
                Date at = wallClock(p.dueAt());
                Trigger existing = scheduler.getTrigger(key);
                if (existing != null && existing.getNextFireTime() != null
                        && Math.abs(existing.getNextFireTime().getTime() - at.getTime()) < 1000) {
                    continue;
                }
                JobDetail job = JobBuilder.newJob(DigestJob.class).withIdentity(JobKey.jobKey(name, GROUP))
                        .usingJobData(DigestJob.LIST_ID, p.listId())
                        .usingJobData(DigestJob.CADENCE, p.cadence().name()).build();
                Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
                        .startAt(at)
                        // Fired late (the scheduler was busy or paused): fire at once; the tables decide whether
                        // a digest is owed, and a missed one is made up for, never dropped.
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                        .build();
                scheduler.scheduleJob(job, Set.of(trigger), true);
            }
            for (JobKey k : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                if (!wanted.contains(k.getName())) {
                    scheduler.deleteJob(k);
                }
            }
        } catch (SchedulerException e) {
            // The sweep makes owed digests every minute all the same.
            log.error("cannot plan the digest triggers", e);
        }
    }

    /** See {@link QuartzTriggers}: Quartz fires by the wall clock, the services decide by the injected clock. */
    private Date wallClock(long dueAt) {
        return new Date(System.currentTimeMillis() + Math.max(0, dueAt - clock.millis()));
    }

    /** The trigger of a digest, if any (tests). */
    Trigger triggerOf(Plan p) throws SchedulerException {
        return scheduler.getTrigger(TriggerKey.triggerKey(name(p), GROUP));
    }
}
