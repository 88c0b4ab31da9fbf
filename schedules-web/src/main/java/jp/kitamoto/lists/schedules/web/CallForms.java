package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

/**
 * The call form and a {@link CallService.CallDraft}; errors are {@link IllegalArgumentException}s in the reader's
 * language (see {@link Form}). What {@code CallDraft} itself refuses is checked here first, so that its Japanese
 * messages (written for the service's other callers) never reach an English page.
 */
final class CallForms {
    static final String[] FIELDS = {"title", "opensDate", "deadlineDate", "deadlineTime", "offsets",
            "reminderTime", "link", "closing", "resultsDate", "resultsTime", "grace"};

    /** As {@code CallService.CallDraft} allows: reminders up to a year before the deadline. */
    static final int MAX_REMINDER_DAYS = 365;

    private CallForms() {
    }

    /** A new call: deadline at 17:00, reminders 14, 7, 3 and 1 days before at 9:00, a closing notice. */
    static Form blank() {
        return new Form().set("deadlineTime", "17:00").set("reminderTime", "9:00").set("offsets", "14,7,3,1")
                .set("closing", "on").set("grace", "60");
    }

    /** The draft a submitted form describes; the deadline must be after {@code now}. */
    static CallService.CallDraft draft(Form f, StaffUser user, Instant now) {
        String title = f.required("title", "page.sched.field.callTitle");
        Instant opens = ScheduleService.instant(f.date("opensDate", "page.sched.field.opensDate").atStartOfDay());
        Instant deadline = ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime",
                "page.sched.field.deadline", LocalTime.of(17, 0)));
        if (!deadline.isAfter(now)) {
            throw f.problem("page.sched.error.deadlinePast");
        }
        if (!deadline.isAfter(opens)) {
            throw f.problem("page.sched.error.deadlineBeforeOpening");
        }
        List<Integer> offsets = f.numbers("offsets", "page.sched.field.reminders");
        if (offsets.stream().anyMatch(o -> o < 0 || o > MAX_REMINDER_DAYS)) {
            throw f.problem("page.sched.error.reminderDays", "max", MAX_REMINDER_DAYS);
        }
        LocalTime at = f.has("reminderTime") ? f.time("reminderTime", "page.sched.field.reminderTime")
                : CallService.DEFAULT_TIME;
        Instant results = f.has("resultsDate") ? ScheduleService.instant(f.dateTime("resultsDate", "resultsTime",
                "page.sched.field.results", LocalTime.of(9, 0))) : null;
        Duration grace = Duration.ofMinutes(f.has("grace")
                ? f.number("grace", "page.sched.field.grace", 0, 7 * 24 * 60) : 60);
        if (f.lists().isEmpty()) {
            throw f.problem("page.sched.error.noLists");
        }
        return new CallService.CallDraft(title, opens, deadline, offsets, at, f.get("link"), f.lists(),
                f.is("closing", "on"), results, null, grace, user.username());
    }

    /** The new deadline of the move-deadline form (17:00 when the time is left empty), after the call opens. */
    static Instant deadline(Form f, Instant opens) {
        Instant deadline = ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime",
                "page.sched.field.newDeadline", LocalTime.of(17, 0)));
        if (!deadline.isAfter(opens)) {
            throw f.problem("page.sched.error.deadlineBeforeOpening");
        }
        return deadline;
    }
}
