package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.service.SendService;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Clock;
import java.util.Properties;
import java.util.UUID;

/** The Quartz scheduler of this process: RAM job store, two threads, triggers rebuilt from our table. */
public final class QuartzScheduling {
    private final Scheduler scheduler;
    private final QuartzTriggers triggers;
    private final SendService sends;

    private QuartzScheduling(Scheduler scheduler, QuartzTriggers triggers, SendService sends) {
        this.scheduler = scheduler;
        this.triggers = triggers;
        this.sends = sends;
    }

    public static QuartzScheduling start(SendService sends, Clock clock) {
        Properties p = new Properties();
        // Quartz keeps schedulers in a JVM-wide registry by name: a unique name lets tests restart in one JVM.
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "kitamoto-schedules-" + UUID.randomUUID());
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        try {
            Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
            QuartzTriggers triggers = new QuartzTriggers(scheduler, clock);
            scheduler.setJobFactory(QuartzTriggers.jobFactory(sends, triggers));
            QuartzScheduling q = new QuartzScheduling(scheduler, triggers, sends);
            for (ScheduledSend s : sends.scheduled()) {
                triggers.scheduled(s.id(), s.dueAt());
            }
            triggers.scheduleSweep();
            sends.useTriggers(triggers);
            scheduler.start();
            return q;
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public void stop() {
        sends.useTriggers(null);
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

    public Trigger triggerOf(long sendId) {
        try {
            return triggers.triggerOf(sendId);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }
}
