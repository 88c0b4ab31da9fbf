package jp.kitamoto.lists.web.members;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.MemberLanguages;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.ConfirmationMapper;
import jp.kitamoto.lists.web.store.ConfirmationMapper.Confirmation;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Member self-service: double opt-in subscription and unsubscription by mailed link. Every answer to a request is the
 * same whether or not the address is already subscribed, so that the form never tells a stranger who is a member.
 */
public final class SubscriptionRequests {
    /** How long a confirmation link works. */
    public static final Duration CONFIRMATION_TTL = Duration.ofHours(48);
    /** At most one mail per address and list in this window, so that the form cannot be used to flood a mailbox. */
    static final Duration RESEND_GUARD = Duration.ofMinutes(10);

    private final Settings settings;
    private final Database db;
    private final Clock clock;
    private final MembershipService memberships;
    private final Distributor distributor;
    private final AuditLog audit;

    public SubscriptionRequests(Settings settings, Database db, Clock clock, MembershipService memberships,
                                Distributor distributor, AuditLog audit) {
        this.settings = settings;
        this.db = db;
        this.clock = clock;
        this.memberships = memberships;
        this.distributor = distributor;
        this.audit = audit;
    }

    /** Thrown when the typed address cannot be a mailbox (a typing error, said to the person who typed it). */
    public static final class BadAddressException extends IllegalArgumentException {
        BadAddressException() {
            super("bad address");
        }
    }

    /** The same in Japanese (the default language). */
    public void requestSubscription(MailingList list, String address, String displayName, String clientIp) {
        requestSubscription(list, address, displayName, clientIp, Texts.japanese());
    }

    /**
     * Records a request to join and mails the confirmation link (unless one was mailed moments ago), in the language
     * of the page the request came from ({@code texts}).
     */
    public void requestSubscription(MailingList list, String address, String displayName, String clientIp,
                                    Texts texts) {
        String normalised = plausible(address);
        String name = displayName == null ? "" : displayName.strip();
        long now = clock.millis();
        boolean sent = db.inTransaction(s -> {
            ConfirmationMapper confirmations = s.getMapper(ConfirmationMapper.class);
            if (confirmations.countRecent(list.id(), normalised, now - RESEND_GUARD.toMillis()) > 0) {
                return false;
            }
            String token = Tokens.newToken();
            confirmations.insertConfirmation(new Confirmation(token, list.id(), normalised, name, now,
                    now + CONFIRMATION_TTL.toMillis(), null));
            String body = texts.format("web.mail.subscribe.body", "name", name.isEmpty() ? normalised : name,
                    "list", list.displayName(), "link", settings.server().publicUrl() + "/confirm/" + token,
                    "hours", CONFIRMATION_TTL.toHours())
                    // A carrier phone that refuses our domain will not show this mail either, but the list's
                    // copies come later: the member who reads this can still set the phone up before they do.
                    + "\n" + texts.format("help.carrier.mailLine", "url", settings.server().publicUrl()
                    + "/help/carrier?list=" + list.localPart()) + "\n";
            String subject = texts.format("web.mail.subscribe.subject", "list", list.displayName());
            distributor.sendOne(s, list.id(), normalised, mail(list, normalised, subject, body), false);
            audit.record(s, Actor.publicVisitor(clientIp), "subscription.request", list.id(), normalised,
                    "確認メール送信");
            return true;
        });
        if (sent) {
            distributor.wake();
        }
    }

    /** A request that can still be confirmed: known, unused and not expired. Reading it changes nothing. */
    public Optional<Confirmation> pending(String token) {
        long now = clock.millis();
        return db.read(s -> s.getMapper(ConfirmationMapper.class).findByToken(token))
                .filter(c -> c.usedAt() == null && c.expiresAt() > now);
    }

    /**
     * Confirms a request (only ever from a POST). Returns the list id if this call subscribed, empty if the token was
     * unknown, used or expired. An address that is already a member stays as it is (a suspension is not lifted).
     */
    public Optional<Long> confirm(String token, String clientIp) {
        return confirm(token, clientIp, Texts.JAPANESE);
    }

    /**
     * The same, recording {@code language} (the page's, where the member pressed the button) as the language the
     * member reads: mail written to them alone comes in it from then on.
     */
    public Optional<Long> confirm(String token, String clientIp, java.util.Locale language) {
        long now = clock.millis();
        return db.inTransaction(s -> {
            ConfirmationMapper confirmations = s.getMapper(ConfirmationMapper.class);
            Optional<Confirmation> c = confirmations.findByToken(token)
                    .filter(x -> x.usedAt() == null && x.expiresAt() > now);
            if (c.isEmpty() || confirmations.markUsed(token, now) != 1) {
                return Optional.<Long>empty();
            }
            Confirmation conf = c.get();
            boolean member = memberships.find(s, conf.listId(), conf.address())
                    .map(MembershipService::isMember).orElse(false);
            if (!member) {
                Subscription sub = memberships.subscribe(s, conf.listId(), conf.address(), conf.displayName(),
                        SubscriptionState.ACTIVE);
                MemberLanguages.set(s, sub.memberId(), language);
            }
            audit.record(s, Actor.publicVisitor(clientIp), "subscription.confirm", conf.listId(), conf.address(),
                    member ? "登録済みのため変更なし" : "登録（二段階確認）");
            return Optional.of(conf.listId());
        });
    }

    /** Mails the personal unsubscribe link to a subscriber; does nothing (visibly the same) for anybody else. */
    public void requestUnsubscription(MailingList list, String address, String clientIp) {
        String normalised = plausible(address);
        long now = clock.millis();
        boolean sent = db.inTransaction(s -> {
            Optional<Subscription> sub = memberships.find(s, list.id(), normalised)
                    .filter(MembershipService::isMember);
            if (sub.isEmpty()) {
                return false;
            }
            // The same guard as for joining, kept in the same table: one mail per address and list per window.
            ConfirmationMapper confirmations = s.getMapper(ConfirmationMapper.class);
            if (confirmations.countRecent(list.id(), "leave:" + normalised, now - RESEND_GUARD.toMillis()) > 0) {
                return false;
            }
            confirmations.insertConfirmation(new Confirmation("leave-" + Tokens.newToken(), list.id(),
                    "leave:" + normalised, "", now, now + RESEND_GUARD.toMillis(), now));
            Texts texts = MemberLanguages.textsFor(s, normalised);
            String body = texts.format("web.mail.leave.body", "list", list.displayName(),
                    "link", settings.server().publicUrl() + "/u/" + sub.get().token());
            String subject = texts.format("web.mail.leave.subject", "list", list.displayName());
            distributor.sendOne(s, list.id(), normalised, mail(list, normalised, subject, body), false);
            audit.record(s, Actor.publicVisitor(clientIp), "subscription.leave-request", list.id(), normalised,
                    "解除リンク送信");
            return true;
        });
        if (sent) {
            distributor.wake();
        }
    }

    /** The subscription behind a per-recipient unsubscribe token. */
    public Optional<Subscription> byUnsubscribeToken(String token) {
        return memberships.byToken(token);
    }

    /** Unsubscribes by token; idempotent. Returns false if the token is unknown. */
    public boolean unsubscribe(String token, String clientIp, String how) {
        return db.inTransaction(s -> {
            Optional<Subscription> before = memberships.unsubscribeByToken(s, token);
            before.filter(x -> x.state() != SubscriptionState.UNSUBSCRIBED).ifPresent(x -> audit.record(s,
                    Actor.publicVisitor(clientIp), "subscription.unsubscribe", x.listId(), "subscription " + x.id(),
                    how));
            return before.isPresent();
        });
    }

    private static String plausible(String address) {
        String normalised = Addresses.normalise(address == null ? "" : address);
        if (!Addresses.isPlausible(normalised)) {
            throw new BadAddressException();
        }
        return normalised;
    }

    /** Sent from the list's -request address, in the list's output charset like every mail written for a list. */
    private byte[] mail(MailingList list, String to, String subject, String body) {
        String domain = settings.server().domain();
        return PlainMail.automatic(list.addresses(domain).request(), list.displayName(), to, subject, body, domain)
                .toBytes(clock, list.outputCharset());
    }
}
