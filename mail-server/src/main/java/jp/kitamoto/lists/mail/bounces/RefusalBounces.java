package jp.kitamoto.lists.mail.bounces;

import jp.kitamoto.lists.mail.delivery.RefusalListener;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A smarthost that refuses a recipient with 5xx at RCPT (or DATA) tells us what a bounce would tell us later: the
 * mailbox does not take mail. It counts as a hard bounce of that subscription, once a day, like a DSN
 * ({@link BounceHandler#countHardBounce}), when the reply says the member's mailbox is at fault
 * ({@link RefusalClassifier}); a refusal about us (relay denied, authentication, our host blocklisted, our own
 * SPF/DKIM/DMARC, size, content) is logged and counted against nobody. Copies to owners and other non-subscription
 * tokens are not counted.
 *
 * <p>Counted in its own transaction after the delivery's outcome is recorded: a crash in between forgets one count,
 * which the next refusal makes up; it never sends or counts twice.
 */
public final class RefusalBounces implements RefusalListener {
    private static final Logger log = LoggerFactory.getLogger(RefusalBounces.class);

    private final Database db;
    private final BounceHandler bounces;

    public RefusalBounces(Database db, BounceHandler bounces) {
        this.db = db;
        this.bounces = bounces;
    }

    @Override
    public void recipientRefused(String token, String reply) {
        RefusalClassifier.Verdict verdict = RefusalClassifier.classify(reply);
        if (!verdict.membersMailbox()) {
            log.info("smarthost refused a copy ({}): not counted as a bounce, {}", reply, verdict.why());
            return;
        }
        String result = db.inTransaction(s -> s.getMapper(SubscriptionMapper.class).findByToken(token)
                .map(sub -> "subscription " + sub.id() + ": " + bounces.countHardBounce(s, sub))
                .orElse(null));
        if (result != null) {
            log.info("smarthost refused a recipient ({}): {}; {}", reply, verdict.why(), result);
        }
    }
}
