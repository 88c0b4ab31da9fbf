package jp.kitamoto.lists.schedules.quartz;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daily task of the server itself (the backup of issue #10), given to {@link QuartzScheduling#scheduleDaily} as a
 * plain {@link Runnable} so that the schedules module needs to know nothing about what it does.
 */
@DisallowConcurrentExecution
final class DailyTaskJob implements Job {
    private static final Logger log = LoggerFactory.getLogger(DailyTaskJob.class);
    private final String name;
    private final Runnable task;

    DailyTaskJob(String name, Runnable task) {
        this.name = name;
        this.task = task;
    }

    @Override
    public void execute(JobExecutionContext context) {
        if (task == null) {
            // A shared (clustered) store may hand us a daily job that another node registered and this one did not.
            log.warn("daily task {} is not registered on this node; skipped", name);
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            // Logged, not thrown: Quartz would only log it less clearly, and tomorrow's run must still happen.
            log.error("daily task {} failed: {}", name, e.getMessage(), e);
        }
    }
}
