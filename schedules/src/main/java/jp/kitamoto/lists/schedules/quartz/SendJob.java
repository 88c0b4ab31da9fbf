package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.service.SendService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Fires one scheduled send (the row decides whether it goes out); thin by design. */
@DisallowConcurrentExecution
public final class SendJob implements Job {
    /** Job-data key: the id of the row in {@code sched_sends}. */
    public static final String SEND_ID = "sendId";

    private final SendService sends;
    private final QuartzTriggers triggers;

    SendJob(SendService sends, QuartzTriggers triggers) {
        this.sends = sends;
        this.triggers = triggers;
    }

    @Override
    public void execute(JobExecutionContext context) {
        long sendId = context.getMergedJobDataMap().getLong(SEND_ID);
        if (sends.fire(sendId) == SendService.Outcome.NOT_DUE) {
            // Quartz fired by the wall clock before the injected clock reached the time: aim again.
            sends.find(sendId).ifPresent(s -> triggers.scheduled(s.id(), s.dueAt()));
        }
    }
}
