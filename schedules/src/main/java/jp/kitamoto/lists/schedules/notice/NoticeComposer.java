package jp.kitamoto.lists.schedules.notice;

import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OwnerRole;
import jp.kitamoto.lists.mime.PlainMail;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.notice.NoticeTemplate.Variable;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.text.Texts;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the message of a notice: From the list's owner, To the list address, a text body and an RFC 2047
 * subject in the list's output charset (UTF-8 unless the list asks for ISO-2022-JP). The Distributor decorates it
 * (sequence number, prefix, List-* headers, footer) like a post.
 *
 * <p>Member names: a list copy is one shared decorated message, so {@code {氏名}} cannot differ per recipient.
 * In the list copy it reads {@link #ALL_MEMBERS} (会員各位); previews and test copies show the chosen member's name
 * with 様. Personal greetings would need one post per member, which would bypass the shared pipeline. These fixed
 * texts come from core's catalogue ({@code schedules.member.*}); the staff-written templates do not.
 */
public final class NoticeComposer {
    private static final Texts TEXTS = Texts.japanese();
    public static final String ALL_MEMBERS = TEXTS.get("schedules.member.all");

    private final Settings settings;
    private final Clock clock;

    public NoticeComposer(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public record Rendered(String subject, String body) {
    }

    /**
     * Fills the templates of a notice for a list. {@code memberName} null means the shared list copy; {@code at} is
     * the send time, from which the days left before the deadline are counted.
     */
    public Rendered render(Notice n, MailingList list, String memberName, String callTitle, Instant at) {
        Map<Variable, String> v = new EnumMap<>(Variable.class);
        v.put(Variable.LIST_NAME, list.displayName());
        v.put(Variable.MEMBER_NAME, memberName == null ? ALL_MEMBERS : TEXTS.format("schedules.member.named",
                "name", memberName.isBlank() ? TEXTS.get("schedules.member.unnamed") : memberName));
        if (n.eventAt() != null) {
            v.put(Variable.EVENT_DATE, JapaneseDates.dateTime(Instant.ofEpochMilli(n.eventAt())));
        }
        if (n.deadlineAt() != null) {
            Instant deadline = Instant.ofEpochMilli(n.deadlineAt());
            v.put(Variable.DEADLINE, JapaneseDates.dateTime(deadline));
            long days = n.offsetDays() != null ? n.offsetDays()
                    : ChronoUnit.DAYS.between(ScheduleService.local(at).toLocalDate(),
                    ScheduleService.local(deadline).toLocalDate());
            v.put(Variable.DAYS_LEFT, Long.toString(days));
        }
        v.put(Variable.LINK, n.link());
        v.put(Variable.CALL_TITLE, callTitle == null ? "" : callTitle);
        return new Rendered(NoticeTemplate.render(n.subjectTemplate(), v).strip(),
                NoticeTemplate.render(n.bodyTemplate(), v));
    }

    /** The address a notice to this list comes from: its first owner, else the server's admin address. */
    public String fromAddress(List<ListOwner> owners) {
        return owners.stream().filter(o -> o.role() == OwnerRole.OWNER).map(ListOwner::address).findFirst()
                .orElse(settings.server().adminAddress());
    }

    /** The notice as an RFC 5322 message to the list address. */
    public byte[] listMessage(MailingList list, String from, Rendered r, String idLocalPart) {
        return message(list, from, list.address(settings.server().domain()), list.displayName(), r, idLocalPart);
    }

    /** A message to one person (test copy, or a mail to staff about a missed send). */
    public byte[] personalMessage(MailingList list, String from, String to, Rendered r, String idLocalPart) {
        return message(list, from, to, null, r, idLocalPart);
    }

    private byte[] message(MailingList list, String from, String to, String toName, Rendered r, String idLocalPart) {
        String domain = settings.server().domain();
        String messageId = idLocalPart + "." + clock.millis() + "@" + domain;
        try {
            return new PlainMail(from, list.displayName(), to, Optional.ofNullable(toName), r.subject(), r.body(), domain,
                    Optional.of(messageId), Optional.empty()).toBytes(clock, list.outputCharset());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("お知らせのメールを作れません: " + e.getMessage(), e);
        }
    }
}
