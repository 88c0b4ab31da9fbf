package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.ScheduledSend;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

/** What the send templates show beyond the model: a send joined with its notice, and a day of the calendar. */
public final class ViewRows {
    private ViewRows() {
    }

    /** One upcoming, missed or failed send with its notice. */
    public record SendRow(ScheduledSend send, Notice notice) {
    }

    /** One day of the month calendar: its sends (cancelled ones left out) and, if any, its holiday's name. */
    public record CalendarDay(LocalDate date, boolean inMonth, boolean today, String holiday, List<SendRow> sends) {
        public boolean weekend() {
            return date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        }
    }
}
