package jp.kitamoto.lists.schedules.timing;

/** The days of a send window. */
public enum WindowDays {
    ANY_DAY("毎日"),
    /** Monday to Friday, except public holidays. */
    WEEKDAYS("平日のみ（土日祝を除く）");

    private final String labelJa;

    WindowDays(String labelJa) {
        this.labelJa = labelJa;
    }

    public String labelJa() {
        return labelJa;
    }
}
