package jp.kitamoto.lists.mail;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.mail.bounces.BounceHandler;
import jp.kitamoto.lists.mail.bounces.RefusalBounces;
import jp.kitamoto.lists.mail.commands.InboundProcessor;
import jp.kitamoto.lists.mail.commands.RequestReplies;
import jp.kitamoto.lists.mail.delivery.DeliveryService;
import jp.kitamoto.lists.mail.delivery.SmtpSender;
import jp.kitamoto.lists.mail.dkim.DkimPublication;
import jp.kitamoto.lists.mail.dkim.DkimSetup;
import jp.kitamoto.lists.mail.intake.SmtpIntake;
import jp.kitamoto.lists.mail.pipeline.Pipeline;
import jp.kitamoto.lists.mail.posting.PostingService;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;

import java.time.Clock;
import java.util.Map;

/**
 * The mail side of the server, wired in the order mail flows: delivery workers first (so that rows left pending
 * by a crash start moving at once), the posting service, the handler of list commands and bounces, then the SMTP
 * listener.
 */
public final class MailServer implements AutoCloseable {
    private final DeliveryService delivery;
    private final InboundProcessor commands;
    private final PostingService posting;
    private final SmtpIntake intake;
    private final DkimSetup dkim;

    private MailServer(DeliveryService delivery, InboundProcessor commands, PostingService posting, SmtpIntake intake,
                       DkimSetup dkim) {
        this.dkim = dkim;
        this.delivery = delivery;
        this.commands = commands;
        this.posting = posting;
        this.intake = intake;
    }

    public static MailServer start(Settings settings, Database db, ListService lists, Clock clock) throws Exception {
        DkimSetup dkim = DkimSetup.start(settings, clock);
        DeliveryService delivery = new DeliveryService(db, settings, clock,
                () -> SmtpSender.forSettings(settings, settings.smarthost().port()), dkim.signer());
        delivery.start();
        PostingService posting = new PostingService(db, lists, settings, clock, Pipeline.standard());
        posting.onNewDeliveries(delivery::wake);
        RequestReplies replies = new RequestReplies(settings, posting, clock);
        BounceHandler bounces = new BounceHandler(settings, posting, clock);
        delivery.onRecipientRefused(new RefusalBounces(db, bounces));
        InboundProcessor commands = new InboundProcessor(db, clock, Map.of(
                CommandKind.BOUNCES, bounces,
                CommandKind.REQUEST, replies, CommandKind.JOIN, replies, CommandKind.LEAVE, replies));
        commands.start();
        posting.onNewCommands(commands::wake);
        SmtpIntake intake = SmtpIntake.start(settings, lists, posting);
        return new MailServer(delivery, commands, posting, intake, dkim);
    }

    /** The Distributor and Moderation of the server. */
    public PostingService posting() {
        return posting;
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
