package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.mail.pipeline.ListHeadersStep;
import jp.kitamoto.lists.mail.pipeline.Pipeline;
import jp.kitamoto.lists.mail.pipeline.PostDraft;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.search.ArchiveIndex;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@link Distributor}: the one way mail leaves the server. A post to the list is numbered, decorated by the
 * pipeline, stored with its decorated copy, and expanded into one delivery row per active subscriber; a single
 * copy (a reply, a notice to the moderators) is one post row and one delivery row. What the archive will show is
 * indexed for its search in the same transaction ({@link ArchiveIndex}). All inside the caller's
 * transaction; the delivery workers are woken after the commit ({@link #wake()}).
 */
public final class DistributionService implements Distributor {
    private static final Logger log = LoggerFactory.getLogger(DistributionService.class);

    private final Settings settings;
    private final Clock clock;
    private final Pipeline pipeline;
    private final PostRows rows;
    private final Runnable wakeDelivery;

    /** {@code wakeDelivery} tells the delivery workers that rows were committed. */
    public DistributionService(Settings settings, Clock clock, Pipeline pipeline, Runnable wakeDelivery) {
        this.settings = settings;
        this.clock = clock;
        this.pipeline = pipeline;
        this.rows = new PostRows(clock);
        this.wakeDelivery = wakeDelivery;
    }

    /** Numbers, decorates and stores an accepted post, and creates a delivery row per active subscriber. */
    long distribute(SqlSession session, MailingList list, ParsedMessage message, PostOrigin origin,
                    String envelopeFrom, String sender) {
        String messageId = message.messageId().orElse(null);
        String subject = message.subject();
        long sequence = reserveSequence(session, list.id());
        byte[] prepared = decorate(list, message.treeToDecorate(), sequence);
        long postId = rows.insert(session, new PostRows.NewPost(list, origin, sequence, messageId, envelopeFrom, sender,
                subject, PostState.ACCEPTED, ""), message.raw(), prepared);
        if (origin == PostOrigin.SMTP || origin == PostOrigin.NOTICE) {
            // What the archive shows (a post or notice to the whole list) is indexed for its search, once, here.
            ArchiveIndex.index(session, postId, message.raw());
        }
        int recipients = session.getMapper(DeliveryMapper.class).expandPost(postId, list.id(), clock.millis());
        log.info("post {} ({}) to {} #{}: {} recipients", postId, messageId, list.localPart(), sequence, recipients);
        return postId;
    }

    /** Distributes a post that was held, as if it had been accepted on arrival; {@code reasons} is its new record. */
    int distributeHeld(SqlSession session, MailingList list, Post held, String reasons) {
        long sequence = reserveSequence(session, list.id());
        byte[] prepared = decorate(list, ParsedMessage.parse(held.raw()).treeToDecorate(), sequence);
        session.getMapper(PostMapper.class).updateDecision(held.id(), PostState.ACCEPTED, sequence, prepared, reasons,
                clock.millis());
        if (held.origin() == PostOrigin.SMTP || held.origin() == PostOrigin.NOTICE) {
            ArchiveIndex.index(session, held.id(), held.raw());
        }
        return session.getMapper(DeliveryMapper.class).expandPost(held.id(), list.id(), clock.millis());
    }

    @Override
    public long distributeToList(SqlSession session, long listId, byte[] message, PostOrigin origin) {
        MailingList list = list(session, listId);
        ParsedMessage parsed = ParsedMessage.parse(message);
        return distribute(session, list, parsed, origin, list.address(settings.server().domain()),
                parsed.fromAddress().orElse(null));
    }

    /**
     * The digest goes out as the schedules module wrote it, with the list's fields in front (its header block is the
     * digest's own; the posts inside it are not touched, byte for byte), to the members who chose the digest.
     */
    @Override
    public long distributeDigest(SqlSession session, long listId, byte[] message, java.util.Locale language) {
        MailingList list = list(session, listId);
        ByteArrayOutputStream withFields = new ByteArrayOutputStream(message.length + 1024);
        for (HeaderField f : ListHeadersStep.listFields(new PostDraft(list, null, 0, settings.server().domain(),
                settings.server().publicUrl()))) {
            withFields.writeBytes(f.raw());
        }
        withFields.writeBytes(message);
        byte[] prepared = withFields.toByteArray();
        ParsedHead head = ParsedHead.of(message);
        long postId = rows.insert(session, new PostRows.NewPost(list, PostOrigin.DIGEST, null, head.messageId(),
                list.address(settings.server().domain()), null, head.subject(), PostState.ACCEPTED, ""), prepared,
                prepared);
        int recipients = session.getMapper(DeliveryMapper.class).expandDigest(postId, listId,
                Texts.of(language).locale().getLanguage(), clock.millis());
        log.info("digest {} of {} ({}): {} recipients", postId, list.localPart(), language, recipients);
        return postId;
    }

    /** The Message-ID and decoded Subject of a message, read from its header block only. */
    private record ParsedHead(String messageId, String subject) {
        static ParsedHead of(byte[] message) {
            MimeEntity head = MimeEntity.parse(headerBlock(message));
            return new ParsedHead(head.rawValue("Message-ID").map(String::strip).orElse(null),
                    head.rawValue("Subject").map(v -> HeaderWords.decode(v.strip())).orElse(""));
        }

        private static byte[] headerBlock(byte[] m) {
            for (int i = 0; i + 1 < m.length; i++) {
                if (m[i] == '\n' && (m[i + 1] == '\n' || (m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n'))) {
                    return java.util.Arrays.copyOf(m, i + 1);
                }
            }
            return m;
        }
    }

    /**
     * A copy to a subscriber of the list carries their subscription token (a bounce counts against that
     * subscription, as for their list copies); a copy to anybody else carries none (see {@link PostRows#insertCopy}).
     */
    @Override
    public long sendOne(SqlSession session, long listId, String recipient, byte[] message, boolean decorate) {
        MailingList list = list(session, listId);
        ParsedMessage parsed = ParsedMessage.parse(message);
        String messageId = parsed.messageId().orElse(null);
        String subject = parsed.subject();
        byte[] prepared = decorate ? decorate(list, parsed.treeToDecorate(), list.nextSequence()) : message;
        long postId = rows.insert(session, new PostRows.NewPost(list, PostOrigin.SYSTEM, null, messageId,
                list.address(settings.server().domain()), null, subject, PostState.ACCEPTED, ""), message, prepared);
        Optional<String> token = session.getMapper(SubscriptionMapper.class)
                .findByListAndAddressKey(listId, Addresses.key(recipient)).map(Subscription::token);
        rows.insertCopy(session, postId, recipient, token);
        return postId;
    }

    @Override
    public void wake() {
        wakeDelivery.run();
    }

    private static MailingList list(SqlSession session, long listId) {
        return session.getMapper(ListMapper.class).findById(listId)
                .orElseThrow(() -> new IllegalArgumentException("no list " + listId));
    }

    private static long reserveSequence(SqlSession session, long listId) {
        return session.getMapper(ListMapper.class).reserveSequence(listId);
    }

    private byte[] decorate(MailingList list, MimeEntity tree, long sequence) {
        return pipeline.run(new PostDraft(list, tree, sequence, settings.server().domain(),
                settings.server().publicUrl()));
    }
}
