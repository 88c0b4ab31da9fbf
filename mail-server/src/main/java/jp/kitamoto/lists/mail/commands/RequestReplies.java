package jp.kitamoto.lists.mail.commands;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.MemberLanguages;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers mail to {@code -request}, {@code -join} and {@code -leave} with a short reply (catalogue texts
 * {@code mail.command.*}, in the sender's language if they are a member, else Japanese) that points to the
 * web pages, where every change needs a button press: a mail address can be forged, so mail alone never subscribes
 * or unsubscribes anybody. {@code -leave} from a member carries that member's personal unsubscribe link.
 * Automatic mail (null sender, Auto-Submitted, Precedence bulk/list) is never answered: that is how mail loops start.
 */
public final class RequestReplies implements InboundHandler {
    private final Settings settings;
    private final Distributor distributor;
    private final Clock clock;

    public RequestReplies(Settings settings, Distributor distributor, Clock clock) {
        this.settings = settings;
        this.distributor = distributor;
        this.clock = clock;
    }

    @Override
    public String handle(SqlSession session, InboundCommand command) {
        MimeEntity message;
        try {
            message = MimeEntity.parse(command.raw());
        } catch (MalformedMessageException e) {
            return "not answered: unparseable (" + e.getMessage() + ")";
        }
        if (isAutomatic(message, command.envelopeFrom())) {
            return "not answered: automatic message";
        }
        Optional<String> replyTo = message.rawValue("From").flatMap(Addresses::extract)
                .or(() -> Optional.of(command.envelopeFrom()).filter(Addresses::isPlausible));
        if (replyTo.isEmpty()) {
            return "not answered: no sender address";
        }
        MailingList list = session.getMapper(ListMapper.class).findById(command.listId()).orElseThrow();
        // In the language of the member who wrote, if we know them (they chose it on the web); else Japanese.
        Texts texts = MemberLanguages.textsFor(session, replyTo.get());
        String body = switch (command.command()) {
            case LEAVE -> leaveText(texts, session, list, replyTo.get());
            case JOIN -> texts.format("mail.command.join.body", "list", list.displayName(), "page", listPage(list));
            default -> helpText(texts, list);
        };
        String subjectKey = switch (command.command()) {
            case LEAVE -> "mail.command.leave.subject";
            case JOIN -> "mail.command.join.subject";
            default -> "mail.command.help.subject";
        };
        String domain = settings.server().domain();
        byte[] reply = PlainMail.automatic(list.addresses(domain).request(), list.displayName(), replyTo.get(),
                        texts.format(subjectKey, "tag", list.subjectTag()), body, domain)
                .withAutoSubmitted(Optional.of("auto-replied")).toBytes(clock, list.outputCharset());
        distributor.sendOne(session, list.id(), replyTo.get(), reply, false);
        return "answered " + command.command().suffix() + " to " + replyTo.get();
    }

    static boolean isAutomatic(MimeEntity message, String envelopeFrom) {
        if (envelopeFrom == null || envelopeFrom.isBlank()) {
            return true;
        }
        String auto = message.rawValue("Auto-Submitted").orElse("no").toLowerCase(Locale.ROOT);
        String precedence = message.rawValue("Precedence").orElse("").toLowerCase(Locale.ROOT);
        return !auto.startsWith("no") || precedence.equals("bulk") || precedence.equals("list")
                || precedence.equals("junk");
    }

    private String listPage(MailingList list) {
        return settings.server().publicUrl() + "/lists/" + list.localPart();
    }

    private String helpText(Texts texts, MailingList list) {
        ListAddresses addresses = list.addresses(settings.server().domain());
        return texts.format("mail.command.help.body", "list", list.displayName(), "post", addresses.post(),
                "page", listPage(list), "owner", addresses.owner());
    }

    private String leaveText(Texts texts, SqlSession session, MailingList list, String address) {
        Optional<Subscription> sub = session.getMapper(SubscriptionMapper.class)
                .findByListAndAddressKey(list.id(), Addresses.key(address))
                .filter(s -> s.state() == SubscriptionState.ACTIVE || s.state() == SubscriptionState.SUSPENDED);
        if (sub.isPresent()) {
            return texts.format("mail.command.leave.member.body", "list", list.displayName(),
                    "url", settings.server().publicUrl() + "/u/" + sub.get().token());
        }
        return texts.format("mail.command.leave.notMember.body", "address", address, "list", list.displayName(),
                "url", listPage(list) + "/unsubscribe");
    }
}
