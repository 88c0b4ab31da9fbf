package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.schedules.digest.DigestService;
import jp.kitamoto.lists.schedules.service.SendService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Every minute: due sends, SENDING → SENT, next occurrences of recurring notices (see {@link SendService#sweep}),
 * then owed digests and the digests' plan ({@link DigestService#sweep}).
 */
@DisallowConcurrentExecution
public final class SweepJob implements Job {
    private final SendService sends;
    private final DigestService digests;

    SweepJob(SendService sends, DigestService digests) {
        this.sends = sends;
        this.digests = digests;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            sends.sweep();
        } finally {
            // A failing notice must not keep the digests from going out.
            digests.sweep();
        }
    }
}
