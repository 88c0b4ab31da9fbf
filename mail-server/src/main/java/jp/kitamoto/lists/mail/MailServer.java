package jp.kitamoto.lists.mail;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.mail.bounces.BounceHandler;
import jp.kitamoto.lists.mail.bounces.RefusalBounces;
import jp.kitamoto.lists.mail.commands.InboundProcessor;
import jp.kitamoto.lists.mail.commands.RequestReplies;
import jp.kitamoto.lists.mail.delivery.DeliveryService;
import jp.kitamoto.lists.mail.dkim.DkimPublication;
import jp.kitamoto.lists.mail.dkim.DkimSetup;
import jp.kitamoto.lists.mail.intake.SmtpIntake;
import jp.kitamoto.lists.mail.pipeline.Pipeline;
import jp.kitamoto.lists.mail.posting.DistributionService;
import jp.kitamoto.lists.mail.posting.ModerationService;
import jp.kitamoto.lists.mail.posting.ReceivingService;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.store.Database;

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
    private final InboundProcessor commands;
    private final DistributionService distribution;
    private final ModerationService moderation;
    private final SmtpIntake intake;
    private final DkimSetup dkim;

    private MailServer(DeliveryService delivery, InboundProcessor commands, DistributionService distribution,
                       ModerationService moderation, SmtpIntake intake, DkimSetup dkim) {
        this.dkim = dkim;
        this.delivery = delivery;
        this.commands = commands;
        this.distribution = distribution;
        this.moderation = moderation;
        this.intake = intake;
    }

    public static MailServer start(Settings settings, Database db, ListService lists, Clock clock) throws Exception {
        DkimSetup dkim = DkimSetup.start(settings, clock);
        DeliveryService delivery = new DeliveryService(db, settings, clock, dkim.signer());
        delivery.start();
        DistributionService distribution = new DistributionService(settings, clock, Pipeline.standard(),
                delivery::wake);
        ModerationService moderation = new ModerationService(db, settings, clock, distribution);
        RequestReplies replies = new RequestReplies(settings, distribution, clock);
        BounceHandler bounces = new BounceHandler(settings, distribution, clock);
        delivery.onRecipientRefused(new RefusalBounces(db, bounces));
        InboundProcessor commands = new InboundProcessor(db, clock, Map.of(
                CommandKind.BOUNCES, bounces,
                CommandKind.REQUEST, replies, CommandKind.JOIN, replies, CommandKind.LEAVE, replies));
        commands.start();
        ReceivingService receiving = new ReceivingService(db, settings.server().domain(), clock, distribution,
                moderation, commands::wake);
        SmtpIntake intake = SmtpIntake.start(settings, lists, receiving);
        return new MailServer(delivery, commands, distribution, moderation, intake, dkim);
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

    /** Stops accepting mail first, then lets the delivery workers finish the copies in hand. */
    @Override
    public void close() {
        intake.close();
        commands.close();
        delivery.close();
    }
}
