package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.mail.pipeline.Pipeline;
import jp.kitamoto.lists.mail.pipeline.PostDraft;
import jp.kitamoto.lists.mail.routing.ListAddress;
import jp.kitamoto.lists.mail.rules.Decision;
import jp.kitamoto.lists.mail.rules.PostContext;
import jp.kitamoto.lists.mail.rules.PostingPolicy;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.CommandMapper;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Takes a received message from bytes to stored decision, in one transaction: the rules decide, an accepted post
 * goes through the pipeline, and its delivery rows are created, all before the SMTP 250. Also the
 * {@link Distributor} for notices and system mail, and the {@link Moderation} of held posts, since approving a
 * held post is the same path as accepting one.
 */
public final class PostingService implements Distributor, Moderation {
    private static final Logger log = LoggerFactory.getLogger(PostingService.class);

    private final Database db;
    private final ListService lists;
    private final Settings settings;
    private final Clock clock;
    private final Pipeline pipeline;
    private volatile Runnable wakeDelivery = () -> { };
    private volatile Runnable wakeCommands = () -> { };

    public PostingService(Database db, ListService lists, Settings settings, Clock clock, Pipeline pipeline) {
        this.db = db;
        this.lists = lists;
        this.settings = settings;
        this.clock = clock;
        this.pipeline = pipeline;
    }

    /** Connects the delivery workers, which are woken after each commit that created delivery rows. */
    public void onNewDeliveries(Runnable wake) {
        this.wakeDelivery = wake;
    }

    /** Connects the handler of list commands and bounces, woken after a commit that stored some. */
    public void onNewCommands(Runnable wake) {
        this.wakeCommands = wake;
    }

    /**
     * Stores a received message for every list it was addressed to and commits. Only when this returns may the
     * intake answer 250. Throws {@link jp.kitamoto.lists.mime.MalformedMessageException} for bytes that are
     * not a message.
     */
    public Receipt receive(IncomingMessage in) {
        MimeEntity parsed = MimeEntity.parse(in.raw());
        String messageId = parsed.rawValue("Message-ID").orElse("(no Message-ID)");
        List<String> outcomes = db.inTransaction(session -> {
            List<String> out = new ArrayList<>();
            Set<ListAddress> seen = new LinkedHashSet<>(in.recipients());
            for (ListAddress to : seen) {
                MailingList list = lists.byLocalPart(to.listName())
                        .orElseThrow(() -> new IllegalStateException("list vanished: " + to.listName()));
                if (to.isPost()) {
                    out.add(list.localPart() + ": " + post(session, list, in, parsed));
                } else if (to.command().get() == CommandKind.OWNER) {
                    out.add(list.localPart() + "-owner: " + forwardToOwners(session, list, in, messageId));
                } else {
                    out.add(list.localPart() + "-" + to.command().get().suffix() + ": "
                            + storeCommand(session, list, to, in));
                }
            }
            return out;
        });
        wake();
        if (in.recipients().stream().anyMatch(r -> r.command().filter(c -> c != CommandKind.OWNER).isPresent())) {
            wakeCommands.run();
        }
        Receipt receipt = new Receipt(messageId, outcomes);
        log.info("stored {} from <{}> [{}]: {}", messageId, in.envelopeFrom(), in.remoteAddress(), receipt.summary());
        return receipt;
    }

    private String post(SqlSession session, MailingList list, IncomingMessage in, MimeEntity parsed) {
        PostContext context = context(session, list, parsed, in.raw().length, in.envelopeFrom());
        Decision decision = PostingPolicy.forPolicy(list.policy()).decide(context);
        String sender = context.from().orElse(null);
        String subject = HeaderWords.decode(parsed.rawValue("Subject").orElse(""));
        String messageId = parsed.rawValue("Message-ID").orElse(null);
        switch (decision.action()) {
            case ACCEPT -> {
                long id = distribute(session, list, in.raw(), PostOrigin.SMTP, in.envelopeFrom(), sender, subject,
                        messageId);
                return "accepted as post " + id;
            }
            case HOLD -> {
                long id = insertPost(session, list, PostOrigin.SMTP, null, messageId, in.envelopeFrom(), sender,
                        subject, in.raw(), null, PostState.HELD, decision.reasonsText());
                log.info("held {} for {}: {}", messageId, list.localPart(), decision.reasons());
                int told = notifyModerators(session, list, id, sender, subject, decision.reasonsText());
                return "held for moderation as post " + id + (told > 0 ? " (moderators notified)" : "");
            }
            default -> {
                long id = insertPost(session, list, PostOrigin.SMTP, null, messageId, in.envelopeFrom(), sender,
                        subject, in.raw(), null, PostState.DISCARDED, decision.reasonsText());
                log.info("discarded {} for {}: {}", messageId, list.localPart(), decision.reasons());
                return "discarded as post " + id;
            }
        }
    }

    /**
     * Tells the list's owners and moderators at once that a post waits for them (Mailman's admin_immed_notify), in
     * the same transaction as the hold: a held post nobody knows about is as good as lost for its author.
     */
    private int notifyModerators(SqlSession session, MailingList list, long postId, String sender, String subject,
                                 String reasons) {
        List<String> moderators = session.getMapper(ListMapper.class).findOwners(list.id()).stream()
                .map(ListOwner::address).distinct().toList();
        String domain = settings.server().domain();
        String body = "「" + list.displayName() + "」への投稿が、承認を待っています。\n\n"
                + "差出人: " + (sender == null ? "（不明）" : sender) + "\n"
                + "件名: " + subject + "\n"
                + "保留の理由:\n" + reasons + "\n\n"
                + "承認・却下・破棄はこちらから（職員用ログインが必要です）:\n"
                + settings.server().publicUrl() + "/staff/lists/" + list.id() + "/held\n";
        for (String moderator : moderators) {
            byte[] notice = PlainMail.automatic(list.localPart() + "-request@" + domain, list.displayName(), moderator,
                    "[" + list.subjectTag() + "] 承認待ちの投稿があります（" + postId + "）", body, domain).toBytes(clock, list.outputCharset());
            sendOne(session, list.id(), moderator, notice, false);
        }
        return moderators.size();
    }

    private PostContext context(SqlSession session, MailingList list, MimeEntity parsed, long size, String envelopeFrom) {
        List<String> senders = new ArrayList<>();
        parsed.rawValue("From").flatMap(Addresses::extract).ifPresent(senders::add);
        parsed.rawValue("Sender").flatMap(Addresses::extract).ifPresent(senders::add);
        if (envelopeFrom != null && !envelopeFrom.isBlank()) {
            senders.add(envelopeFrom);
        }
        List<String> distinct = senders.stream().distinct().toList();
        SubscriptionMapper subs = session.getMapper(SubscriptionMapper.class);
        Set<String> owners = session.getMapper(ListMapper.class).findOwners(list.id()).stream()
                .map(o -> Addresses.key(o.address())).collect(Collectors.toSet());
        return new PostContext(list, parsed, size, distinct,
                address -> subs.findByListAndAddressKey(list.id(), Addresses.key(address))
                        .map(s -> s.state() == SubscriptionState.ACTIVE || s.state() == SubscriptionState.SUSPENDED)
                        .orElse(false),
                address -> owners.contains(Addresses.key(address)),
                settings.server().domain());
    }

    /** Numbers, decorates and stores an accepted post, and creates a delivery row per active subscriber. */
    private long distribute(SqlSession session, MailingList list, byte[] raw, PostOrigin origin, String envelopeFrom,
                            String sender, String subject, String messageId) {
        long sequence = reserveSequence(session, list.id());
        byte[] prepared = decorate(list, raw, sequence);
        long now = clock.millis();
        long postId = insertPost(session, list, origin, sequence, messageId, envelopeFrom, sender, subject, raw,
                prepared, PostState.ACCEPTED, "");
        int recipients = session.getMapper(DeliveryMapper.class).expandPost(postId, list.id(), now);
        log.info("post {} ({}) to {} #{}: {} recipients", postId, messageId, list.localPart(), sequence, recipients);
        return postId;
    }

    private static long reserveSequence(SqlSession session, long listId) {
        ListMapper mapper = session.getMapper(ListMapper.class);
        mapper.incrementSequence(listId);
        return mapper.selectLastSequence(listId);
    }

    private byte[] decorate(MailingList list, byte[] raw, long sequence) {
        PostDraft draft = new PostDraft(list, MimeEntity.parse(raw), sequence, settings.server().domain(),
                settings.server().publicUrl());
        return pipeline.run(draft);
    }

    private long insertPost(SqlSession session, MailingList list, PostOrigin origin, Long sequence, String messageId,
                            String envelopeFrom, String sender, String subject, byte[] raw, byte[] prepared,
                            PostState state, String reasons) {
        long now = clock.millis();
        Post post = new Post(0, list.id(), origin, sequence, messageId, envelopeFrom == null ? "" : envelopeFrom,
                sender, subject, raw, prepared, state, reasons, now, state == PostState.HELD ? null : now);
        IdHolder key = new IdHolder();
        session.getMapper(PostMapper.class).insertPost(post, key);
        return key.getId();
    }

    private String forwardToOwners(SqlSession session, MailingList list, IncomingMessage in, String messageId) {
        List<ListOwner> owners = session.getMapper(ListMapper.class).findOwners(list.id());
        long postId = insertPost(session, list, PostOrigin.OWNER_FORWARD, null, messageId, in.envelopeFrom(),
                in.envelopeFrom(), "", in.raw(), in.raw(), PostState.ACCEPTED, "");
        DeliveryMapper deliveries = session.getMapper(DeliveryMapper.class);
        for (ListOwner owner : owners) {
            deliveries.insertDelivery(postId, owner.address(), "owner", clock.millis());
        }
        return "forwarded to " + owners.size() + " owner(s) as post " + postId;
    }

    private String storeCommand(SqlSession session, MailingList list, ListAddress to, IncomingMessage in) {
        long now = clock.millis();
        InboundCommand command = new InboundCommand(0, list.id(), to.command().get(), to.token().orElse(null),
                in.envelopeFrom() == null ? "" : in.envelopeFrom(), in.raw(), CommandState.RECEIVED, null, now, null);
        IdHolder key = new IdHolder();
        session.getMapper(CommandMapper.class).insertCommand(command, key);
        return "stored as command " + key.getId();
    }

    // ----- Distributor -----

    @Override
    public long distributeToList(SqlSession session, long listId, byte[] message, PostOrigin origin) {
        MailingList list = session.getMapper(ListMapper.class).findById(listId)
                .orElseThrow(() -> new IllegalArgumentException("no list " + listId));
        MimeEntity parsed = MimeEntity.parse(message);
        return distribute(session, list, message, origin, list.address(settings.server().domain()),
                parsed.rawValue("From").flatMap(Addresses::extract).orElse(null),
                HeaderWords.decode(parsed.rawValue("Subject").orElse("")), parsed.rawValue("Message-ID").orElse(null));
    }

    @Override
    public long sendOne(SqlSession session, long listId, String recipient, byte[] message, boolean decorate) {
        MailingList list = session.getMapper(ListMapper.class).findById(listId)
                .orElseThrow(() -> new IllegalArgumentException("no list " + listId));
        MimeEntity parsed = MimeEntity.parse(message);
        byte[] prepared = decorate ? decorate(list, message, list.nextSequence()) : message;
        long postId = insertPost(session, list, PostOrigin.SYSTEM, null, parsed.rawValue("Message-ID").orElse(null),
                list.address(settings.server().domain()), null,
                HeaderWords.decode(parsed.rawValue("Subject").orElse("")), message, prepared, PostState.ACCEPTED, "");
        String token = session.getMapper(SubscriptionMapper.class)
                .findByListAndAddressKey(listId, Addresses.key(recipient)).map(Subscription::token)
                .orElseGet(Tokens::newToken);
        session.getMapper(DeliveryMapper.class).insertDelivery(postId, recipient, token, clock.millis());
        return postId;
    }

    @Override
    public void wake() {
        wakeDelivery.run();
    }

    // ----- Moderation -----

    @Override
    public boolean approve(long postId, String actor) {
        boolean done = db.inTransaction(session -> {
            Optional<Post> held = heldPost(session, postId);
            if (held.isEmpty()) {
                return false;
            }
            Post post = held.get();
            MailingList list = session.getMapper(ListMapper.class).findById(post.listId()).orElseThrow();
            long sequence = reserveSequence(session, list.id());
            byte[] prepared = decorate(list, post.raw(), sequence);
            session.getMapper(PostMapper.class).updateDecision(postId, PostState.ACCEPTED, sequence, prepared,
                    post.reasons() + "\napproved-by: " + actor, clock.millis());
            int n = session.getMapper(DeliveryMapper.class).expandPost(postId, list.id(), clock.millis());
            log.info("post {} ({}) approved by {}: {} recipients", postId, post.messageId(), actor, n);
            return true;
        });
        if (done) {
            wake();
        }
        return done;
    }

    @Override
    public boolean reject(long postId, Optional<String> reasonForSender, String actor) {
        boolean done = db.inTransaction(session -> {
            Optional<Post> held = heldPost(session, postId);
            if (held.isEmpty()) {
                return false;
            }
            Post post = held.get();
            session.getMapper(PostMapper.class).updateDecision(postId, PostState.REJECTED, null, null,
                    post.reasons() + "\nrejected-by: " + actor, clock.millis());
            if (reasonForSender.isPresent() && post.sender() != null) {
                MailingList list = session.getMapper(ListMapper.class).findById(post.listId()).orElseThrow();
                byte[] notice = SystemMail.rejection(list, settings.server().domain(), post, reasonForSender.get(),
                        clock);
                sendOne(session, list.id(), post.sender(), notice, false);
            }
            log.info("post {} ({}) rejected by {}", postId, post.messageId(), actor);
            return true;
        });
        if (done) {
            wake();
        }
        return done;
    }

    @Override
    public boolean discard(long postId, String actor) {
        return db.inTransaction(session -> {
            Optional<Post> held = heldPost(session, postId);
            if (held.isEmpty()) {
                return false;
            }
            session.getMapper(PostMapper.class).updateDecision(postId, PostState.DISCARDED, null, null,
                    held.get().reasons() + "\ndiscarded-by: " + actor, clock.millis());
            log.info("post {} ({}) discarded by {}", postId, held.get().messageId(), actor);
            return true;
        });
    }

    private static Optional<Post> heldPost(SqlSession session, long postId) {
        return session.getMapper(PostMapper.class).findById(postId).filter(p -> p.state() == PostState.HELD);
    }

}
