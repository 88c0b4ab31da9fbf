package jp.kitamoto.lists.schedules.quartz;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.schedules.digest.DigestService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one list's digest of one cadence if it is owed (the tables decide), then plans the next; thin by design. */
@DisallowConcurrentExecution
public final class DigestJob implements Job {
    private static final Logger log = LoggerFactory.getLogger(DigestJob.class);
    /** Job-data keys: the list's id and the cadence's name. */
    public static final String LIST_ID = "listId";
    public static final String CADENCE = "cadence";

    private final DigestService digests;

    DigestJob(DigestService digests) {
        this.digests = digests;
    }

    @Override
    public void execute(JobExecutionContext context) {
        long listId = context.getMergedJobDataMap().getLong(LIST_ID);
        DigestCadence cadence = DigestCadence.valueOf(context.getMergedJobDataMap().getString(CADENCE));
        try {
            digests.fire(listId, cadence);
        } catch (RuntimeException e) {
            // Nothing was committed. Not planned again from here (that would fire at once, again and again): the
            // sweep tries again within a minute.
            log.error("digest {} of list {} failed; the sweep tries again", cadence, listId, e);
            return;
        }
        digests.replan();
    }
}
