package jp.kitamoto.lists.mail;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.mail.bounces.BounceHandler;
import jp.kitamoto.lists.mail.bounces.RefusalBounces;
import jp.kitamoto.lists.mail.commands.InboundProcessor;
import jp.kitamoto.lists.mail.commands.PersonalUnsubscribe;
import jp.kitamoto.lists.mail.commands.RequestReplies;
import jp.kitamoto.lists.mail.delivery.DeliveryService;
import jp.kitamoto.lists.mail.delivery.DeliveryWakeups;
import jp.kitamoto.lists.mail.intake.PostfixRecipientMap;
import jp.kitamoto.lists.mail.intake.Recipients;
import jp.kitamoto.lists.mail.dkim.DkimPublication;
import jp.kitamoto.lists.mail.dkim.DkimSetup;
import jp.kitamoto.lists.mail.intake.SmtpIntake;
import jp.kitamoto.lists.mail.intake.SmtpReplyCounter;
import jp.kitamoto.lists.mail.pipeline.Pipeline;
import jp.kitamoto.lists.mail.posting.DistributionService;
import jp.kitamoto.lists.mail.posting.FailedCopiesReport;
import jp.kitamoto.lists.mail.posting.ModerationService;
import jp.kitamoto.lists.mail.posting.ReceivingService;
import jp.kitamoto.lists.service.AuditTrail;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.SubscriptionMapper;

import java.time.Clock;
import java.util.Map;

/**
 * The mail side of the server, wired against the flow of mail so that each part exists before what feeds it:
 * delivery workers first (so that rows left pending by a crash start moving at once), distribution, moderation,
 * the handler of list commands and bounces, the receiving service, then the SMTP listener. Other modules get the
 * services by role: {@link #distributor()} and {@link #moderation()}.
 */
public final class MailServer implements AutoCloseable {
    private final DeliveryService delivery;
    private final DeliveryWakeups wakeups;
    private final InboundProcessor commands;
    private final DistributionService distribution;
    private final ModerationService moderation;
    private final SmtpIntake intake;
    private final PostfixRecipientMap recipientMap;
    private final DkimSetup dkim;

    private MailServer(DeliveryService delivery, DeliveryWakeups wakeups, InboundProcessor commands, DistributionService distribution,
                       ModerationService moderation, SmtpIntake intake, PostfixRecipientMap recipientMap,
                       DkimSetup dkim) {
        this.recipientMap = recipientMap;
        this.dkim = dkim;
        this.delivery = delivery;
        this.wakeups = wakeups;
        this.commands = commands;
        this.distribution = distribution;
        this.moderation = moderation;
        this.intake = intake;
    }

    public static MailServer start(Settings settings, Database db, ListService lists, Clock clock) throws Exception {
        return start(settings, db, lists, clock, AuditTrail.NONE);
    }

    /** With the audit trail that records what members change by mail (unsubscribing by the List-Unsubscribe mailto). */
    public static MailServer start(Settings settings, Database db, ListService lists, Clock clock, AuditTrail audit)
            throws Exception {
        return start(settings, db, lists, clock, audit, SmtpReplyCounter.NONE);
    }

    /** With {@code smtpReplies} told of every reply the SMTP intake gives (the application's metrics). */
    public static MailServer start(Settings settings, Database db, ListService lists, Clock clock, AuditTrail audit,
                                   SmtpReplyCounter smtpReplies) throws Exception {
        DkimSetup dkim = DkimSetup.start(settings, clock);
        DeliveryService delivery = new DeliveryService(db, settings, clock, dkim.signer());
        delivery.start();
        // Several nodes on PostgreSQL: rows committed here wake every node's dispatcher (LISTEN/NOTIFY).
        DeliveryWakeups wakeups = DeliveryWakeups.forDatabase(db, settings, delivery::wake);
        wakeups.start();
        DistributionService distribution = new DistributionService(settings, clock, Pipeline.standard(),
                wakeups::rowsCommitted);
        ModerationService moderation = new ModerationService(db, settings, clock, distribution);
        RequestReplies replies = new RequestReplies(settings, distribution, clock);
        BounceHandler bounces = new BounceHandler(settings, distribution, clock);
        delivery.onRecipientRefused(new RefusalBounces(db, bounces));
        delivery.onCopiesFailed(new FailedCopiesReport(db, settings.server().domain(), settings.server().publicUrl(),
                distribution, clock));
        InboundProcessor commands = new InboundProcessor(db, clock, Map.of(
                CommandKind.BOUNCES, bounces,
                CommandKind.REQUEST, replies, CommandKind.JOIN, replies,
                CommandKind.LEAVE, new PersonalUnsubscribe(settings, distribution, clock, audit, replies)));
        commands.start();
        ReceivingService receiving = new ReceivingService(db, settings.server().domain(), clock, distribution,
                moderation, commands::wake);
        // A personal unsubscribe address is ours while its token names a subscription of that list.
        Recipients recipients = new Recipients(settings.server().domain(), lists, (listId, token) ->
                db.read(s -> s.getMapper(SubscriptionMapper.class).findByToken(token))
                        .filter(sub -> sub.listId() == listId).isPresent());
        // The intake's limits keep the system clock (as before): the application's clock may be a test's.
        SmtpIntake intake = SmtpIntake.start(settings, recipients, receiving, Clock.systemUTC(), smtpReplies);
        PostfixRecipientMap recipientMap = settings.postfix().recipientMapEnabled()
                ? PostfixRecipientMap.start(recipients, settings.postfix().recipientMapHost(),
                settings.postfix().recipientMapPort())
                : null;
        return new MailServer(delivery, wakeups, commands, distribution, moderation, intake, recipientMap, dkim);
    }

    /** How notices, replies and confirmations leave the server (the same rows and workers as posts). */
    public Distributor distributor() {
        return distribution;
    }

    /** Decisions on held posts, for the staff pages. */
    public Moderation moderation() {
        return moderation;
    }

    /** The DKIM record to publish (for the staff page). */
    public DkimPublication dkim() {
        return dkim.publication();
    }

    public int smtpPort() {
        return intake.port();
    }

    /** The port of the Postfix recipient table ({@code postfix.recipient-map-*}), or -1 when it is off. */
    public int recipientMapPort() {
        return recipientMap == null ? -1 : recipientMap.port();
    }

    /** Stops accepting mail first, then lets the delivery workers finish the copies in hand. */
    @Override
    public void close() {
        intake.close();
        if (recipientMap != null) {
            try {
                recipientMap.close();
            } catch (java.io.IOException e) {
                // Closing a listening socket we own; nothing to recover.
            }
        }
        commands.close();
        wakeups.close();
        delivery.close();
    }
}
