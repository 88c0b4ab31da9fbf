package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

/** The call form and a {@link CallService.CallDraft}; errors are Japanese {@link IllegalArgumentException}s. */
final class CallForms {
    static final String[] FIELDS = {"title", "opensDate", "deadlineDate", "deadlineTime", "offsets",
            "reminderTime", "link", "closing", "resultsDate", "resultsTime", "grace"};

    private CallForms() {
    }

    /** A new call: deadline at 17:00, reminders 14, 7, 3 and 1 days before at 9:00, a closing notice. */
    static Form blank() {
        return new Form().set("deadlineTime", "17:00").set("reminderTime", "9:00").set("offsets", "14,7,3,1")
                .set("closing", "on").set("grace", "60");
    }

    /** The draft a submitted form describes; the deadline must be after {@code now}. */
    static CallService.CallDraft draft(Form f, StaffUser user, Instant now) {
        String title = f.required("title", "募集名");
        Instant opens = ScheduleService.instant(f.date("opensDate", "募集開始日").atStartOfDay());
        Instant deadline = ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime", "締切",
                LocalTime.of(17, 0)));
        if (!deadline.isAfter(now)) {
            throw new IllegalArgumentException("締切が過ぎています。これから先の日時を入力してください");
        }
        List<Integer> offsets = f.numbers("offsets", "リマインダー");
        LocalTime at = f.has("reminderTime") ? f.time("reminderTime", "リマインダーの時刻") : CallService.DEFAULT_TIME;
        Instant results = f.has("resultsDate") ? ScheduleService.instant(f.dateTime("resultsDate", "resultsTime",
                "結果のお知らせ", LocalTime.of(9, 0))) : null;
        Duration grace = Duration.ofMinutes(f.has("grace") ? f.number("grace", "猶予時間（分）", 0, 7 * 24 * 60) : 60);
        if (f.lists().isEmpty()) {
            throw new IllegalArgumentException("送信先のリストを1つ以上選んでください");
        }
        return new CallService.CallDraft(title, opens, deadline, offsets, at, f.get("link"), f.lists(),
                f.is("closing", "on"), results, null, grace, user.username());
    }

    /** The new deadline of the move-deadline form (17:00 when the time is left empty). */
    static Instant deadline(Form f) {
        return ScheduleService.instant(f.dateTime("deadlineDate", "deadlineTime", "新しい締切", LocalTime.of(17, 0)));
    }
}
