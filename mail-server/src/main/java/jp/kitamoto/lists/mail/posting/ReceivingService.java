package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.mail.routing.ListAddress;
import jp.kitamoto.lists.mail.routing.Route;
import jp.kitamoto.lists.store.CommandMapper;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores a received message for each of its routes in one transaction, before the SMTP 250: a post is decided by
 * the rules and then distributed, held (the moderators are told) or discarded; mail to {@code -owner} is forwarded
 * to the owners; mail to the other sub-addresses is stored as a command for {@code InboundProcessor}.
 */
public final class ReceivingService implements Receiver {
    private static final Logger log = LoggerFactory.getLogger(ReceivingService.class);

    private final Database db;
    private final Clock clock;
    private final PostDecider decider;
    private final DistributionService distribution;
    private final ModerationService moderation;
    private final PostRows rows;
    private final Runnable wakeCommands;

    /** {@code wakeCommands} tells the handler of list commands and bounces that some were committed. */
    public ReceivingService(Database db, String domain, Clock clock, DistributionService distribution,
                            ModerationService moderation, Runnable wakeCommands) {
        this.db = db;
        this.clock = clock;
        this.decider = new PostDecider(domain);
        this.distribution = distribution;
        this.moderation = moderation;
        this.rows = new PostRows(clock);
        this.wakeCommands = wakeCommands;
    }

    @Override
    public Receipt receive(IncomingMessage in) {
        ParsedMessage message = ParsedMessage.parse(in.raw());
        String messageId = message.messageId().orElse("(no Message-ID)");
        // BUNKA@ and bunka@ are one route: store the post once.
        Map<ListAddress, Route> routes = new LinkedHashMap<>();
        in.recipients().forEach(r -> routes.putIfAbsent(r.address(), r));
        List<String> outcomes = db.inTransaction(session -> {
            // Every list's rules read the message before any list's pipeline may edit it (see ParsedMessage).
            Map<ListAddress, PostDecider.Decided> decisions = new LinkedHashMap<>();
            for (Route to : routes.values()) {
                if (to.isPost()) {
                    decisions.put(to.address(), decider.decide(session, to.list(), message, in.envelopeFrom()));
                }
            }
            List<String> out = new ArrayList<>();
            for (Route to : routes.values()) {
                MailingList list = to.list();
                if (to.isPost()) {
                    Stored stored = post(session, list, in, message, decisions.get(to.address()));
                    recordDefects(session, stored.postId(), message);
                    out.add(list.localPart() + ": " + stored.outcome());
                } else if (to.is(CommandKind.OWNER)) {
                    out.add(list.localPart() + "-owner: " + forwardToOwners(session, list, in, message));
                } else {
                    out.add(list.localPart() + "-" + to.address().command().orElseThrow().suffix() + ": "
                            + storeCommand(session, list, to.address(), in));
                }
            }
            return out;
        });
        distribution.wake();
        if (routes.values().stream().anyMatch(r -> !r.isPost() && !r.is(CommandKind.OWNER))) {
            wakeCommands.run();
        }
        if (!message.defects().isEmpty()) {
            log.info("{} from <{}> read liberally: {}", messageId, in.envelopeFrom(), message.defects());
        }
        Receipt receipt = new Receipt(messageId, outcomes);
        log.info("stored {} from <{}> [{}]: {}", messageId, in.envelopeFrom(), in.remoteAddress(), receipt.summary());
        return receipt;
    }

    /** A post row written for one list, and what the SMTP reply says about it. */
    private record Stored(long postId, String outcome) {
    }

    private Stored post(SqlSession session, MailingList list, IncomingMessage in, ParsedMessage message,
                        PostDecider.Decided decided) {
        String sender = decided.sender().orElse(null);
        String messageId = message.messageId().orElse(null);
        String reasons = decided.decision().reasonsText();
        switch (decided.decision().action()) {
            case ACCEPT -> {
                long id = distribution.distribute(session, list, message, PostOrigin.SMTP, in.envelopeFrom(), sender);
                return new Stored(id, "accepted as post " + id);
            }
            case HOLD -> {
                long id = rows.insert(session, new PostRows.NewPost(list, PostOrigin.SMTP, null, messageId,
                        in.envelopeFrom(), sender, message.subject(), PostState.HELD, reasons), in.raw(), null);
                log.info("held {} for {} as post {}: {}", message.messageId().orElse("(no Message-ID)"),
                        list.localPart(), id, decided.decision().reasons());
                int told = moderation.notifyModerators(session, list, id, sender, message.subject(), reasons);
                return new Stored(id, "held for moderation as post " + id + (told > 0 ? " (moderators notified)" : ""));
            }
            default -> {
                long id = rows.insert(session, new PostRows.NewPost(list, PostOrigin.SMTP, null, messageId,
                        in.envelopeFrom(), sender, message.subject(), PostState.DISCARDED, reasons), in.raw(), null);
                log.info("discarded {} for {}: {}", messageId, list.localPart(), decided.decision().reasons());
                return new Stored(id, "discarded as post " + id);
            }
        }
    }

    /** The bytes stay as received; what the reading forgave is kept beside them for staff (#14). */
    private static void recordDefects(SqlSession session, long postId, ParsedMessage message) {
        if (!message.defects().isEmpty()) {
            session.getMapper(PostMapper.class).updateDefects(postId, String.join("\n", message.defects()));
        }
    }

    /** Owners get the message as sent; they are not subscriptions, so their copies carry no subscription token. */
    private String forwardToOwners(SqlSession session, MailingList list, IncomingMessage in, ParsedMessage message) {
        List<ListOwner> owners = session.getMapper(ListMapper.class).findOwners(list.id());
        long postId = rows.insert(session, new PostRows.NewPost(list, PostOrigin.OWNER_FORWARD, null,
                message.messageId().orElse("(no Message-ID)"), in.envelopeFrom(), in.envelopeFrom(), "",
                PostState.ACCEPTED, ""), in.raw(), in.raw());
        for (ListOwner owner : owners) {
            rows.insertCopy(session, postId, owner.address(), Optional.empty());
        }
        return "forwarded to " + owners.size() + " owner(s) as post " + postId;
    }

    private String storeCommand(SqlSession session, MailingList list, ListAddress to, IncomingMessage in) {
        InboundCommand command = new InboundCommand(0, list.id(), to.command().orElseThrow(), to.token().orElse(null),
                in.envelopeFrom() == null ? "" : in.envelopeFrom(), in.raw(), CommandState.RECEIVED, null,
                clock.millis(), null);
        IdHolder key = new IdHolder();
        session.getMapper(CommandMapper.class).insertCommand(command, key);
        return "stored as command " + key.getId();
    }
}
