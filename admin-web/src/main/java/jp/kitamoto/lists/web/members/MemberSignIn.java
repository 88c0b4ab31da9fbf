package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.MemberLanguages;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.MemberPageMapper;
import jp.kitamoto.lists.web.store.MemberPageMapper.MySubscription;
import jp.kitamoto.lists.web.store.MemberSignInMapper;
import jp.kitamoto.lists.web.store.MemberSignInMapper.Link;
import org.apache.ibatis.session.SqlSession;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Sign-in to the member's page by a link mailed to the member's own address: whoever can read that mailbox is that
 * member, as for the confirmation of a subscription. No password to forget, which suits members who visit the page
 * a few times a year.
 *
 * <ul>
 * <li>The answer to a request is the same whether or not the address is a member (no enumeration); only a member
 * gets a mail.</li>
 * <li>A link works once and for {@link #LINK_TTL}; only its SHA-256 is stored (144 random bits make a slow hash
 * pointless, as for API tokens), so the table alone signs nobody in.</li>
 * <li>Requests are counted per address and per client address in a sliding window, in the database (so a second
 * node or a restart counts the same), to keep the form from flooding a mailbox or probing many addresses.</li>
 * </ul>
 */
public final class MemberSignIn {
    /**
     * How long a mailed link works: long enough for mail delayed by a carrier or greylisting and for a member who
     * reads it a little later on a phone, short enough that a mail forwarded or left open on a shared computer is
     * soon useless. A member who misses it asks again (it costs one mail).
     */
    public static final Duration LINK_TTL = Duration.ofMinutes(30);
    /** The window in which requests are counted. */
    public static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
    /** Links per address per window: a member who mistyped or lost a mail can ask again; a flood cannot. */
    public static final int MAX_PER_ADDRESS = 3;
    /** Requests per client address per window, whatever addresses are typed (probing many addresses). */
    public static final int MAX_PER_CLIENT = 10;
    private static final Duration KEEP_REQUESTS = Duration.ofDays(1);

    /** What became of a request, as far as the person who made it may know. */
    public enum Outcome {
        /** Mailed if the address is a member; said the same way either way. */
        ACCEPTED,
        /** Too many requests for this address or from this client: nothing was done. */
        THROTTLED
    }

    private final Settings settings;
    private final Database db;
    private final Clock clock;
    private final MembershipService memberships;
    private final Distributor distributor;
    private final AuditLog audit;

    public MemberSignIn(Settings settings, Database db, Clock clock, MembershipService memberships,
                        Distributor distributor, AuditLog audit) {
        this.settings = settings;
        this.db = db;
        this.clock = clock;
        this.memberships = memberships;
        this.distributor = distributor;
        this.audit = audit;
    }

    /** {@link #requestLink(String, String, Texts)} from a Japanese page. */
    public Outcome requestLink(String address, String clientIp) {
        return requestLink(address, clientIp, Texts.japanese());
    }

    /**
     * Records a request for a sign-in link and, if the address is a member of any list, mails the link in the
     * member's language ({@code members.language}, as all mail to one member), or in {@code requestTexts} (the
     * language of the page the request came from) for an address we hold no language for. Throws
     * {@link SubscriptionRequests.BadAddressException} when the typed text cannot be an address.
     */
    public Outcome requestLink(String address, String clientIp, Texts requestTexts) {
        String normalised = Addresses.normalise(address == null ? "" : address);
        if (!Addresses.isPlausible(normalised)) {
            throw new SubscriptionRequests.BadAddressException();
        }
        String addressHash = sha256(Addresses.key(normalised));
        long now = clock.millis();
        Outcome outcome = db.inTransaction(s -> {
            MemberSignInMapper links = s.getMapper(MemberSignInMapper.class);
            links.deleteLinksBefore(now - KEEP_REQUESTS.toMillis());
            long since = now - THROTTLE_WINDOW.toMillis();
            if (links.countLinksByAddress(addressHash, since) >= MAX_PER_ADDRESS
                    || links.countLinksByClient(clientIp, since) >= MAX_PER_CLIENT) {
                return Outcome.THROTTLED;
            }
            Optional<Member> member = memberships.memberByAddress(s, normalised);
            List<MySubscription> subs = member.map(m -> s.getMapper(MemberPageMapper.class).findByMember(m.id()))
                    .orElse(List.of());
            if (subs.isEmpty()) {
                // Counted like a member's request, so the throttle answers alike for members and strangers.
                links.insertLink(new Link(0, addressHash, null, null, clientIp, now, now, null));
                return Outcome.ACCEPTED;
            }
            String token = Tokens.newToken();
            links.insertLink(new Link(0, addressHash, sha256(token), member.get().id(), clientIp, now,
                    now + LINK_TTL.toMillis(), null));
            mail(s, member.get(), subs.get(0).listId(), token,
                    MemberLanguages.textsFor(s, member.get().address(), requestTexts));
            audit.record(s, Actor.publicVisitor(clientIp), "member.signin-request", null, member.get().address(),
                    "ログイン用リンクを送信");
            return Outcome.ACCEPTED;
        });
        distributor.wake();
        return outcome;
    }

    /** The member a link would sign in, if it is known, unused and not expired. Reading it changes nothing. */
    public Optional<Long> pendingMember(String token) {
        if (!Tokens.isWellFormed(token)) {
            return Optional.empty();
        }
        long now = clock.millis();
        return db.read(s -> s.getMapper(MemberSignInMapper.class).findLinkByTokenHash(sha256(token)))
                .filter(l -> usable(l, now)).map(Link::memberId);
    }

    /**
     * Uses a link (only ever from a POST): returns the member it signs in, or empty if the link is unknown, used or
     * expired. A link is used at most once, even by two requests at the same moment.
     */
    public Optional<Long> redeem(String token, String clientIp) {
        if (!Tokens.isWellFormed(token)) {
            return Optional.empty();
        }
        long now = clock.millis();
        return db.inTransaction(s -> {
            MemberSignInMapper links = s.getMapper(MemberSignInMapper.class);
            Optional<Link> link = links.findLinkByTokenHash(sha256(token)).filter(l -> usable(l, now));
            if (link.isEmpty() || links.markLinkUsed(link.get().id(), now) != 1) {
                return Optional.<Long>empty();
            }
            long memberId = link.get().memberId();
            audit.record(s, Actor.member(memberId, clientIp), "member.signin", null, "member " + memberId,
                    "会員ページにログイン（メールのリンク）");
            return Optional.of(memberId);
        });
    }

    private static boolean usable(Link l, long now) {
        return l.memberId() != null && l.usedAt() == null && l.expiresAt() > now;
    }

    /** Sent from the -request address of one of the member's lists, as the server's other mail to members. */
    private void mail(SqlSession s, Member member, long listId, String token, Texts texts) {
        MailingList list = s.getMapper(ListMapper.class).findById(listId).orElseThrow();
        String domain = settings.server().domain();
        String body = texts.format("web.mail.signin.body",
                "name", member.displayName().isBlank() ? member.address() : member.displayName(),
                "link", settings.server().publicUrl() + "/me/signin/" + token, "minutes", LINK_TTL.toMinutes());
        byte[] bytes = PlainMail.automatic(list.addresses(domain).request(), list.displayName(), member.address(),
                texts.get("web.mail.signin.subject"), body, domain).toBytes(clock, list.outputCharset());
        distributor.sendOne(s, listId, member.address(), bytes, false);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
