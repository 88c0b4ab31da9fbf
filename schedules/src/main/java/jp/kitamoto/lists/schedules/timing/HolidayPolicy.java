package jp.kitamoto.lists.schedules.timing;

/** What a recurring notice does when an occurrence falls on a day that is not a send day. */
public enum HolidayPolicy {
    /** Send on the day anyway (holidays do not matter for this notice). */
    SEND("祝日も送信"),
    /** Leave this occurrence out. */
    SKIP("送信しない（スキップ）"),
    /** Send on the next business day, at the start of the send window (or the same time of day). */
    SHIFT_NEXT_BUSINESS_DAY("翌営業日に送信");

    private final String labelJa;

    HolidayPolicy(String labelJa) {
        this.labelJa = labelJa;
    }

    public String labelJa() {
        return labelJa;
    }
}
