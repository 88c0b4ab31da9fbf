package jp.kitamoto.lists.web.lists;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.DigestSchedule;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;

import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A list's digests on its settings page: what the form shows, and saving it through {@link DigestSettings}, audited. */
public final class DigestAdmin {
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})(?::\\d{2}(?:\\.\\d+)?)?");

    private final DigestSettings digests;
    private final AuditLog audit;

    public DigestAdmin(DigestSettings digests, AuditLog audit) {
        this.digests = digests;
        this.audit = audit;
    }

    /**
     * The digest part of the list's form, as shown or as typed: whether each cadence is on, its time ({@code HH:mm},
     * what a {@code type=time} input sends), the weekly weekday (ISO number), and how many members chose the digest.
     */
    public record DigestForm(boolean daily, String dailyTime, boolean weekly, String weeklyDay, String weeklyTime,
                             long chosen) {
        /** The weekdays for the select, Monday first (ISO numbers). */
        public List<DayOfWeek> days() {
            return List.of(DayOfWeek.values());
        }
    }

    /** The form as saved: times of a cadence that is off show a suggestion (18:00; Monday 7:00). */
    public DigestForm form(long listId) {
        List<DigestSchedule> saved = digests.of(listId);
        Optional<DigestSchedule> daily = saved.stream().filter(d -> d.cadence() == DigestCadence.DAILY).findFirst();
        Optional<DigestSchedule> weekly = saved.stream().filter(d -> d.cadence() == DigestCadence.WEEKLY).findFirst();
        return new DigestForm(daily.isPresent(), daily.map(DigestSchedule::sendTime).orElse("18:00"),
                weekly.isPresent(), weekly.map(d -> Integer.toString(d.weekday())).orElse("1"),
                weekly.map(DigestSchedule::sendTime).orElse("07:00"), digests.membersWhoChoseDigest(listId));
    }

    /** Thrown with the catalogue key of the message for a form that cannot be saved. */
    public static final class InvalidDigestForm extends IllegalArgumentException {
        private final String textKey;

        InvalidDigestForm(String textKey) {
            super(textKey);
            this.textKey = textKey;
        }

        public String textKey() {
            return textKey;
        }
    }

    /** Saves the form; the audit entry says what changed (nothing is recorded when nothing changed). */
    public void save(MailingList list, DigestForm form, Actor actor) {
        Optional<LocalTime> daily = form.daily() ? Optional.of(time(form.dailyTime())) : Optional.empty();
        Optional<DigestSettings.Weekly> weekly = Optional.empty();
        if (form.weekly()) {
            weekly = Optional.of(new DigestSettings.Weekly(day(form.weeklyDay()), time(form.weeklyTime())));
        }
        List<String> changes = digests.save(list.id(), daily, weekly);
        if (!changes.isEmpty()) {
            audit.record(actor, "list.digests", list.id(), list.localPart(), String.join("; ", changes));
        }
    }

    /** {@code 18:00} (also {@code 18:00:00} and full-width digits, as typed into a text box by older browsers). */
    static LocalTime time(String typed) {
        Matcher m = TIME.matcher(Normalizer.normalize(typed == null ? "" : typed, Normalizer.Form.NFKC).strip());
        if (!m.matches()) {
            throw new InvalidDigestForm("page.digest.error.time");
        }
        int h = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        if (h > 23 || min > 59) {
            throw new InvalidDigestForm("page.digest.error.time");
        }
        return LocalTime.of(h, min);
    }

    static DayOfWeek day(String typed) {
        try {
            return DayOfWeek.of(Integer.parseInt(typed == null ? "" : typed.strip()));
        } catch (RuntimeException e) {
            throw new InvalidDigestForm("page.digest.error.weekday");
        }
    }
}
