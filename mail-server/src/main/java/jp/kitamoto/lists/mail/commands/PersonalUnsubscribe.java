package jp.kitamoto.lists.mail.commands;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.service.AuditTrail;
import jp.kitamoto.lists.service.MemberLanguages;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * Mail to {@code -leave}: to the personal address {@code bunka-leave+TOKEN@} (the {@code mailto:} of each copy's
 * List-Unsubscribe) it unsubscribes that subscription at once; to the plain {@code bunka-leave@} it is answered by
 * {@link RequestReplies} as before.
 *
 * <p>The token is the authority, as in the one-click URL: it came in the member's own copy, and the sender of the
 * unsubscribe mail does not matter (Apple Mail and Yahoo send it from the member's address, but a forwarder or an
 * alias may not). A forged From therefore unsubscribes nobody: without a token only the plain answer is given.
 *
 * <p>Automatic mail still unsubscribes (mail programs send the request as a plain message, some marked automatic),
 * but only a person's mail gets the goodbye. The goodbye goes to the subscription's own address, never to the
 * sender, so this address cannot be used to send our mail to a third party. What was done is recorded in the staff
 * audit log ({@link AuditTrail}, in the same transaction), in the command's row (kept with the message, its
 * envelope sender and the token) and in the log.
 */
public final class PersonalUnsubscribe implements InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(PersonalUnsubscribe.class);

    private final Settings settings;
    private final Distributor distributor;
    private final Clock clock;
    private final AuditTrail audit;
    private final InboundHandler plainLeave;

    public PersonalUnsubscribe(Settings settings, Distributor distributor, Clock clock, AuditTrail audit,
                               InboundHandler plainLeave) {
        this.settings = settings;
        this.audit = audit;
        this.distributor = distributor;
        this.clock = clock;
        this.plainLeave = plainLeave;
    }

    @Override
    public String handle(SqlSession session, InboundCommand command) {
        if (command.token() == null) {
            return plainLeave.handle(session, command);
        }
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        // RCPT refused unknown tokens; a subscription removed since then is the only way to get here without one.
        Optional<Subscription> found = subs.findByToken(command.token()).filter(s -> s.listId() == command.listId());
        if (found.isEmpty()) {
            return "unsubscribe by mail: unknown token, nothing done, nothing sent";
        }
        Subscription sub = found.get();
        if (sub.state() == SubscriptionState.UNSUBSCRIBED) {
            return "unsubscribe by mail: subscription " + sub.id() + " was already unsubscribed; nothing sent";
        }
        subs.updateState(sub.id(), SubscriptionState.UNSUBSCRIBED, clock.millis());
        Member member = session.getMapper(MemberMapper.class).findById(sub.memberId()).orElseThrow();
        MailingList list = session.getMapper(ListMapper.class).findById(sub.listId()).orElseThrow();
        String result = "unsubscribed by mail: subscription " + sub.id() + " <" + member.address() + "> (was "
                + sub.state() + ", request from <" + command.envelopeFrom() + ">)";
        log.info("list {}: {}", list.localPart(), result);
        // The same entry as the one-click link writes ("public", how), so staff see one history of unsubscriptions.
        // There is no client IP behind a stored mail: "mail" stands in its column, the sender goes in the detail.
        audit.record(session, "public", "mail", "subscription.unsubscribe", list.id(), "subscription " + sub.id(),
                "List-Unsubscribe mailto (from <" + command.envelopeFrom() + ">)");
        if (isAutomatic(command)) {
            return result + "; automatic message, no goodbye sent";
        }
        Texts texts = MemberLanguages.textsFor(session, member.address());
        String domain = settings.server().domain();
        String page = settings.server().publicUrl() + "/lists/" + list.localPart();
        byte[] goodbye = PlainMail.automatic(list.addresses(domain).request(), list.displayName(), member.address(),
                        texts.format("mail.unsubscribe.done.subject", "tag", list.subjectTag()),
                        texts.format("mail.unsubscribe.done.body", "list", list.displayName(),
                                "address", member.address(), "page", page), domain)
                .withAutoSubmitted(Optional.of("auto-replied")).toBytes(clock, list.outputCharset());
        distributor.sendOne(session, list.id(), member.address(), goodbye, false);
        return result + "; goodbye sent to <" + member.address() + ">";
    }

    private static boolean isAutomatic(InboundCommand command) {
        try {
            return RequestReplies.isAutomatic(MimeEntity.parse(command.raw()), command.envelopeFrom());
        } catch (MalformedMessageException e) {
            return true;
        }
    }
}
