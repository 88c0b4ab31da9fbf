package jp.kitamoto.lists.schedules.model;

import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.Recurrence;
import jp.kitamoto.lists.schedules.timing.SendWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What staff enter for a notice. Build with {@link #oneOff} or {@link #recurring} and adjust with the
 * {@code with...} methods. The grace period defaults to one hour.
 */
public record NoticeDraft(String title, String subjectTemplate, String bodyTemplate, List<Long> listIds,
                          Instant eventAt, Instant deadlineAt, String link, Instant sendAt, Recurrence rule,
                          Instant startsAt, Instant endsAt, SendWindow window, HolidayPolicy holidayPolicy,
                          Duration grace, String createdBy) {
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    public NoticeDraft {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(subjectTemplate, "subjectTemplate");
        Objects.requireNonNull(bodyTemplate, "bodyTemplate");
        listIds = List.copyOf(listIds);
        link = link == null ? "" : link;
        window = window == null ? SendWindow.ANY : window;
        holidayPolicy = holidayPolicy == null ? HolidayPolicy.SEND : holidayPolicy;
        grace = grace == null ? DEFAULT_GRACE : grace;
        createdBy = createdBy == null ? "" : createdBy;
        if (listIds.isEmpty()) {
            throw new IllegalArgumentException("送信先のリストを1つ以上選んでください");
        }
        if ((sendAt == null) == (rule == null)) {
            throw new IllegalArgumentException("送信日時か繰り返しのどちらか一方を指定してください");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("猶予時間は0分以上にしてください");
        }
    }

    public static NoticeDraft oneOff(String title, String subject, String body, List<Long> listIds, Instant sendAt) {
        return new NoticeDraft(title, subject, body, listIds, null, null, "", sendAt, null, null, null, null, null,
                null, "");
    }

    public static NoticeDraft recurring(String title, String subject, String body, List<Long> listIds,
                                        Recurrence rule, Instant startsAt, SendWindow window, HolidayPolicy policy) {
        return new NoticeDraft(title, subject, body, listIds, null, null, "", null, rule, startsAt, null, window,
                policy, null, "");
    }

    public NoticeDraft withGrace(Duration g) {
        return new NoticeDraft(title, subjectTemplate, bodyTemplate, listIds, eventAt, deadlineAt, link, sendAt, rule,
                startsAt, endsAt, window, holidayPolicy, g, createdBy);
    }

    public NoticeDraft withEvent(Instant event, Instant deadline, String url) {
        return new NoticeDraft(title, subjectTemplate, bodyTemplate, listIds, event, deadline, url, sendAt, rule,
                startsAt, endsAt, window, holidayPolicy, grace, createdBy);
    }

    public NoticeDraft withEndsAt(Instant ends) {
        return new NoticeDraft(title, subjectTemplate, bodyTemplate, listIds, eventAt, deadlineAt, link, sendAt, rule,
                startsAt, ends, window, holidayPolicy, grace, createdBy);
    }

    public NoticeDraft withCreatedBy(String staff) {
        return new NoticeDraft(title, subjectTemplate, bodyTemplate, listIds, eventAt, deadlineAt, link, sendAt, rule,
                startsAt, endsAt, window, holidayPolicy, grace, staff);
    }
}
