package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.service.SendService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Every minute: due sends, SENDING → SENT, next occurrences of recurring notices (see {@link SendService#sweep}). */
@DisallowConcurrentExecution
public final class SweepJob implements Job {
    private final SendService sends;

    SweepJob(SendService sends) {
        this.sends = sends;
    }

    @Override
    public void execute(JobExecutionContext context) {
        sends.sweep();
    }
}
