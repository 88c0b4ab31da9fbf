package jp.kitamoto.lists.mail.commands;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers mail to {@code -request}, {@code -join} and {@code -leave} with a short Japanese reply that points to the
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
        String body = switch (command.command()) {
            case LEAVE -> leaveText(session, list, replyTo.get());
            case JOIN -> joinText(list);
            default -> helpText(list);
        };
        String subject = "[" + list.subjectTag() + "] " + switch (command.command()) {
            case LEAVE -> "登録解除のご案内";
            case JOIN -> "登録のご案内";
            default -> "メーリングリストの使い方";
        };
        String domain = settings.server().domain();
        byte[] reply = PlainMail.automatic(list.localPart() + "-request@" + domain, list.displayName(), replyTo.get(),
                subject, body, domain).withAutoSubmitted(Optional.of("auto-replied")).toBytes(clock, list.outputCharset());
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

    private String helpText(MailingList list) {
        String domain = settings.server().domain();
        return "「" + list.displayName() + "」メーリングリストのご案内です。\n\n"
                + "投稿: " + list.address(domain) + " 宛てにメールを送ってください（登録者のみ）。\n"
                + "登録・解除・過去の投稿: " + listPage(list) + "\n"
                + "管理者への連絡: " + list.localPart() + "-owner@" + domain + "\n";
    }

    private String joinText(MailingList list) {
        return "「" + list.displayName() + "」への登録は、次のページでメールアドレスを入力してください。\n"
                + "確認のメールをお送りしますので、そのメールのリンクから登録を完了してください。\n\n"
                + listPage(list) + "\n";
    }

    private String leaveText(SqlSession session, MailingList list, String address) {
        Optional<Subscription> sub = session.getMapper(SubscriptionMapper.class)
                .findByListAndAddressKey(list.id(), Addresses.key(address))
                .filter(s -> s.state() == SubscriptionState.ACTIVE || s.state() == SubscriptionState.SUSPENDED);
        if (sub.isPresent()) {
            return "「" + list.displayName() + "」の登録を解除するには、次のページを開き「登録を解除する」ボタンを"
                    + "押してください。\n\n" + settings.server().publicUrl() + "/u/" + sub.get().token() + "\n\n"
                    + "解除しない場合は、このメールを破棄してください。\n";
        }
        return "このアドレス（" + address + "）は「" + list.displayName() + "」に登録されていないようです。\n"
                + "別のアドレスで登録している場合は、次のページから解除できます。\n\n" + listPage(list) + "/unsubscribe\n";
    }

}
