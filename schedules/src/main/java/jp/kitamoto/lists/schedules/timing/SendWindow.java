package jp.kitamoto.lists.schedules.timing;

import java.time.LocalTime;
import java.util.Objects;

/**
 * When a recurring notice may go out: on which days and between which times (Asia/Tokyo), e.g. weekdays 9:00–18:00.
 * {@code start}/{@code end} null means any time of day.
 */
public record SendWindow(WindowDays days, LocalTime start, LocalTime end) {
    public static final SendWindow ANY = new SendWindow(WindowDays.ANY_DAY, null, null);

    public SendWindow {
        Objects.requireNonNull(days, "days");
        if ((start == null) != (end == null)) {
            throw new IllegalArgumentException("送信時間帯は開始と終了の両方を指定してください");
        }
        if (start != null && !start.isBefore(end)) {
            throw new IllegalArgumentException("送信時間帯の開始は終了より前にしてください");
        }
    }

    public boolean hasHours() {
        return start != null;
    }
}
