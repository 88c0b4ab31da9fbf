package jp.kitamoto.lists.schedules.model;

import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/** A call for proposals (募集), a row of {@code sched_calls}. Its reminders are notices of kind REMINDER. */
public record Call(long id, String title, long opensAt, long deadlineAt, String reminderOffsets, String reminderTime,
                   String link, CallState state, long createdAt, long updatedAt) {

    public List<Integer> offsets() {
        return reminderOffsets.isBlank() ? List.of()
                : Arrays.stream(reminderOffsets.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    public LocalTime time() {
        return LocalTime.parse(reminderTime);
    }
}
