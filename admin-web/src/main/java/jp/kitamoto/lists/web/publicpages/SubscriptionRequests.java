package jp.kitamoto.lists.web.publicpages;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.SubscriptionMapper;
import jp.kitamoto.lists.web.AdminWeb;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.web.store.ConfirmationMapper;
import jp.kitamoto.lists.web.store.ConfirmationMapper.Confirmation;

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

    private final AdminWeb.Deps deps;
    private final AuditLog audit;

    public SubscriptionRequests(AdminWeb.Deps deps, AuditLog audit) {
        this.deps = deps;
        this.audit = audit;
    }

    /** Thrown when the typed address cannot be a mailbox (a typing error, said to the person who typed it). */
    public static final class BadAddressException extends IllegalArgumentException {
        BadAddressException() {
            super("bad address");
        }
    }

    /** Records a request to join and mails the confirmation link (unless one was mailed moments ago). */
    public void requestSubscription(MailingList list, String address, String displayName, String clientIp) {
        String normalised = Addresses.normalise(address == null ? "" : address);
        if (!Addresses.isPlausible(normalised)) {
            throw new BadAddressException();
        }
        String name = displayName == null ? "" : displayName.strip();
        long now = deps.clock().millis();
        boolean sent = deps.database().inTransaction(s -> {
            ConfirmationMapper confirmations = s.getMapper(ConfirmationMapper.class);
            if (confirmations.countRecent(list.id(), normalised, now - RESEND_GUARD.toMillis()) > 0) {
                return false;
            }
            String token = Tokens.newToken();
            confirmations.insertConfirmation(new Confirmation(token, list.id(), normalised, name, now,
                    now + CONFIRMATION_TTL.toMillis(), null));
            String link = deps.settings().server().publicUrl() + "/confirm/" + token;
            String body = """
                    %s 様

                    メーリングリスト「%s」への登録のお申し込みを受け付けました。
                    下のリンクを開き、表示されるページの「登録する」ボタンを押すと登録が完了します。

                    %s

                    このリンクの有効期限は %d 時間です。
                    お申し込みに心当たりがない場合は、このメールを破棄してください。登録はされません。

                    北本市 市民活動メーリングリスト
                    """.formatted(name.isEmpty() ? normalised : name, list.displayName(), link,
                    CONFIRMATION_TTL.toHours());
            byte[] mail = PlainMail.automatic(requestAddress(list), list.displayName(), normalised,
                    "【登録確認】" + list.displayName(), body, deps.settings().server().domain()).toBytes(deps.clock(), list.outputCharset());
            deps.distributor().sendOne(s, list.id(), normalised, mail, false);
            audit.record(s, "public", clientIp, "subscription.request", list.id(), normalised, "確認メール送信");
            return true;
        });
        if (sent) {
            deps.distributor().wake();
        }
    }

    /** A request that can still be confirmed: known, unused and not expired. Reading it changes nothing. */
    public Optional<Confirmation> pending(String token) {
        long now = deps.clock().millis();
        return deps.database().read(s -> s.getMapper(ConfirmationMapper.class).findByToken(token))
                .filter(c -> c.usedAt() == null && c.expiresAt() > now);
    }

    /**
     * Confirms a request (only ever from a POST). Returns the list id if this call subscribed, empty if the token was
     * unknown, used or expired. An address that is already a member stays as it is (a suspension is not lifted).
     */
    public Optional<Long> confirm(String token, String clientIp) {
        long now = deps.clock().millis();
        return deps.database().inTransaction(s -> {
            ConfirmationMapper confirmations = s.getMapper(ConfirmationMapper.class);
            Optional<Confirmation> c = confirmations.findByToken(token)
                    .filter(x -> x.usedAt() == null && x.expiresAt() > now);
            if (c.isEmpty() || confirmations.markUsed(token, now) != 1) {
                return Optional.<Long>empty();
            }
            Confirmation conf = c.get();
            Optional<Subscription> existing = s.getMapper(SubscriptionMapper.class)
                    .findByListAndAddressKey(conf.listId(), Addresses.key(conf.address()));
            boolean member = existing.map(x -> x.state() == SubscriptionState.ACTIVE
                    || x.state() == SubscriptionState.SUSPENDED).orElse(false);
            if (!member) {
                deps.memberships().subscribe(s, conf.listId(), conf.address(), conf.displayName(),
                        SubscriptionState.ACTIVE);
            }
            audit.record(s, "public", clientIp, "subscription.confirm", conf.listId(), conf.address(),
                    member ? "登録済みのため変更なし" : "登録（二段階確認）");
            return Optional.of(conf.listId());
        });
    }

    /** Mails the personal unsubscribe link to a subscriber; does nothing (visibly the same) for anybody else. */
    public void requestUnsubscription(MailingList list, String address, String clientIp) {
        String normalised = Addresses.normalise(address == null ? "" : address);
        if (!Addresses.isPlausible(normalised)) {
            throw new BadAddressException();
        }
        long now = deps.clock().millis();
        boolean sent = deps.database().inTransaction(s -> {
            Optional<Subscription> sub = s.getMapper(SubscriptionMapper.class)
                    .findByListAndAddressKey(list.id(), Addresses.key(normalised))
                    .filter(x -> x.state() == SubscriptionState.ACTIVE || x.state() == SubscriptionState.SUSPENDED);
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
            String link = deps.settings().server().publicUrl() + "/u/" + sub.get().token();
            String body = """
                    メーリングリスト「%s」の登録解除のお申し込みを受け付けました。
                    下のリンクを開き、表示されるページの「登録を解除する」ボタンを押すと解除されます。

                    %s

                    お申し込みに心当たりがない場合は、このメールを破棄してください。

                    北本市 市民活動メーリングリスト
                    """.formatted(list.displayName(), link);
            byte[] mail = PlainMail.automatic(requestAddress(list), list.displayName(), normalised,
                    "【登録解除の確認】" + list.displayName(), body, deps.settings().server().domain()).toBytes(deps.clock(), list.outputCharset());
            deps.distributor().sendOne(s, list.id(), normalised, mail, false);
            audit.record(s, "public", clientIp, "subscription.leave-request", list.id(), normalised, "解除リンク送信");
            return true;
        });
        if (sent) {
            deps.distributor().wake();
        }
    }

    /** The subscription behind a per-recipient unsubscribe token. */
    public Optional<Subscription> byUnsubscribeToken(String token) {
        return deps.memberships().byToken(token);
    }

    /** Unsubscribes by token; idempotent. Returns false if the token is unknown. */
    public boolean unsubscribe(String token, String clientIp, String how) {
        return deps.database().inTransaction(s -> {
            SubscriptionMapper subs = s.getMapper(SubscriptionMapper.class);
            Optional<Subscription> sub = subs.findByToken(token);
            if (sub.isEmpty()) {
                return false;
            }
            if (sub.get().state() != SubscriptionState.UNSUBSCRIBED) {
                subs.updateState(sub.get().id(), SubscriptionState.UNSUBSCRIBED, deps.clock().millis());
                audit.record(s, "public", clientIp, "subscription.unsubscribe", sub.get().listId(),
                        "subscription " + sub.get().id(), how);
            }
            return true;
        });
    }

    private String requestAddress(MailingList list) {
        return list.localPart() + "-request@" + deps.settings().server().domain();
    }
}
