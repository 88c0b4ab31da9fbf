package jp.kitamoto.lists.schedules.service;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OwnerRole;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.ScheduledSend;
import jp.kitamoto.lists.schedules.model.SendDetail;
import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.schedules.notice.NoticeComposer;
import jp.kitamoto.lists.schedules.store.NoticeMapper;
import jp.kitamoto.lists.schedules.store.SendMapper;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.text.Texts;
import org.apache.ibatis.session.SqlSession;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells the lists' owners by mail that a send was missed or failed: a send is never dropped silently. The texts
 * (subject, the reason stored on the send ({@link SendDetail}) and mailed, the body) are core's catalogue,
 * {@code schedules.staffAlert.*}, in Japanese: the owners' mail, like the staff pages' default, is Japanese.
 */
final class StaffAlerts {
    private static final Texts TEXTS = Texts.japanese();

    private final Settings settings;
    private final NoticeComposer composer;
    private final Distributor distributor;
    private final ScheduleService timing;

    StaffAlerts(Settings settings, NoticeComposer composer, Distributor distributor, ScheduleService timing) {
        this.settings = settings;
        this.composer = composer;
        this.distributor = distributor;
        this.timing = timing;
    }

    void missed(SqlSession s, Notice notice, ScheduledSend send, String detail) {
        tell(s, notice, send, TEXTS.format("schedules.staffAlert.missed.subject", "title", notice.title()), detail);
    }

    void failed(SqlSession s, Notice notice, ScheduledSend send, String detail) {
        tell(s, notice, send, TEXTS.format("schedules.staffAlert.failed.subject", "title", notice.title()), detail);
    }

    /** Mails each owner of the notice's lists once (or the server's admin address if a list has none). */
    private void tell(SqlSession s, Notice notice, ScheduledSend send, String subject, String detail) {
        Map<String, Long> recipients = new LinkedHashMap<>();
        for (long listId : s.getMapper(NoticeMapper.class).findListIds(notice.id())) {
            List<ListOwner> owners = s.getMapper(ListMapper.class).findOwners(listId);
            List<String> addresses = owners.stream().filter(o -> o.role() == OwnerRole.OWNER)
                    .map(ListOwner::address).toList();
            for (String a : addresses.isEmpty() ? List.of(settings.server().adminAddress()) : addresses) {
                recipients.putIfAbsent(a, listId);
            }
        }
        String body = TEXTS.format("schedules.staffAlert.body", "title", notice.title(),
                "due", JapaneseDates.dateTime(Instant.ofEpochMilli(send.dueAt())), "detail", SendDetail.text(detail, TEXTS),
                "url", settings.server().publicUrl() + "/staff/schedules/notices/" + notice.id());
        for (Map.Entry<String, Long> r : recipients.entrySet()) {
            MailingList list = s.getMapper(ListMapper.class).findById(r.getValue()).orElseThrow();
            byte[] message = composer.personalMessage(list, settings.server().adminAddress(), r.getKey(),
                    new NoticeComposer.Rendered(subject, body), "sched-staff." + send.id());
            distributor.sendOne(s, r.getValue(), r.getKey(), message, false);
        }
        s.getMapper(SendMapper.class).markStaffNotified(send.id(), timing.now().toEpochMilli());
    }
}
