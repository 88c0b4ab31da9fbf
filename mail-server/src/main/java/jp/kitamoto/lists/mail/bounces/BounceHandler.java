package jp.kitamoto.lists.mail.bounces;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.commands.InboundHandler;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A bounce (mail to {@code <list>-bounces+<token>@}): a permanent failure counts against the subscription, and at
 * {@link #SUSPEND_AT} delivery to it is suspended (the member stays a member and can post; staff see the state and
 * can resume it, which clears the score) and the list's owners are told by mail. Like Mailman 3's bounce runner:
 * bounces count at most once a day, and a score whose last bounce is more than {@link #STALE_AFTER} old starts again
 * at one. The VERP token makes the member certain, so no guessing of addresses from the bounce text. A bounce to the
 * plain {@code <list>-bounces@} (the return path of copies to owners and others who are not subscriptions) is kept
 * with the commands and counted against nobody.
 */
public final class BounceHandler implements InboundHandler {
    /** Mailman's default threshold: a few hard bounces, not one (a single full mailbox should not unsubscribe). */
    public static final int SUSPEND_AT = 5;
    /** Mailman's bounce_info_stale_after. */
    public static final Duration STALE_AFTER = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger(BounceHandler.class);

    private final Settings settings;
    private final Distributor distributor;
    private final Clock clock;

    public BounceHandler(Settings settings, Distributor distributor, Clock clock) {
        this.settings = settings;
        this.distributor = distributor;
        this.clock = clock;
    }

    @Override
    public String handle(SqlSession session, InboundCommand bounce) {
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        if (bounce.token() == null) {
            // To the plain -bounces address: the return path of copies to owners and other non-subscribers.
            return "no token: a copy to someone who is not a subscription; kept, counted against nobody";
        }
        Optional<Subscription> subscription = Optional.ofNullable(bounce.token())
                .flatMap(subs::findByToken)
                .filter(s -> s.listId() == bounce.listId());
        if (subscription.isEmpty()) {
            return "unknown token: no subscription";
        }
        BounceClassifier.Kind kind;
        try {
            kind = BounceClassifier.classify(MimeEntity.parse(bounce.raw()), bounce.envelopeFrom());
        } catch (MalformedMessageException e) {
            kind = BounceClassifier.Kind.PERMANENT;
        }
        if (kind != BounceClassifier.Kind.PERMANENT) {
            return kind.name().toLowerCase(Locale.ROOT) + ": not counted";
        }
        return countHardBounce(session, subscription.get());
    }

    /**
     * Counts one permanent failure of a subscription, from a bounce message or from the smarthost refusing the
     * recipient at SMTP time (the same mailbox problem, learnt earlier): at most once a day, suspending delivery
     * and telling the owners at {@link #SUSPEND_AT}. Returns what was done, for the log.
     */
    public String countHardBounce(SqlSession session, Subscription sub) {
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        long now = clock.millis();
        Long last = subs.findLastBounceAt(sub.id());
        if (last != null && day(last).equals(day(now))) {
            return "permanent: already counted today, bounce score " + sub.bounceScore();
        }
        boolean stale = last == null || now - last > STALE_AFTER.toMillis();
        int score = stale ? 1 : sub.bounceScore() + 1;
        subs.recordBounce(sub.id(), score, now);
        String result = "permanent: bounce score " + score + (stale && sub.bounceScore() > 0 ? " (old score forgotten)" : "");
        if (score >= SUSPEND_AT && sub.state() == SubscriptionState.ACTIVE) {
            subs.updateState(sub.id(), SubscriptionState.SUSPENDED, now);
            int told = tellOwners(session, sub, score);
            result += ", delivery suspended, " + told + " owner(s) told";
            log.info("subscription {} on list {}: delivery suspended after {} bounces", sub.id(), sub.listId(), score);
        }
        return result;
    }

    private static LocalDate day(long millis) {
        return Instant.ofEpochMilli(millis).atZone(JapanTime.ZONE).toLocalDate();
    }

    /** A suspension nobody hears of looks to the member like the list fell silent; the owners can act on it. */
    private int tellOwners(SqlSession session, Subscription sub, int score) {
        ListMapper lists = session.getMapper(ListMapper.class);
        Optional<MailingList> list = lists.findById(sub.listId());
        Optional<Member> member = session.getMapper(MemberMapper.class).findById(sub.memberId());
        if (list.isEmpty() || member.isEmpty()) {
            return 0;
        }
        MailingList l = list.get();
        String domain = settings.server().domain();
        Texts texts = Texts.japanese();
        String body = texts.format("mail.bounce.suspended.body", "list", l.displayName(),
                "address", member.get().address(), "score", score,
                "url", settings.server().publicUrl() + "/staff/lists/" + l.id() + "/members");
        String subject = texts.format("mail.bounce.suspended.subject", "tag", l.subjectTag());
        ListAddresses addresses = l.addresses(domain);
        List<String> owners = lists.findOwners(l.id()).stream().map(ListOwner::address).distinct().toList();
        for (String owner : owners) {
            byte[] notice = PlainMail.automatic(addresses.owner(), l.displayName(), owner, subject, body, domain)
                    .toBytes(clock, l.outputCharset());
            distributor.sendOne(session, l.id(), owner, notice, false);
        }
        return owners.size();
    }
}
