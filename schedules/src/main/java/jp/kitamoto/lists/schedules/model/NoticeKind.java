package jp.kitamoto.lists.schedules.model;

public enum NoticeKind {
    ONE_OFF("一回限り"), RECURRING("繰り返し"), REMINDER("締切リマインダー"), CLOSING("締切のお知らせ"), RESULTS("結果のお知らせ"), CANCELLATION("募集中止のお知らせ");

    private final String labelJa;

    NoticeKind(String labelJa) {
        this.labelJa = labelJa;
    }

    /** The label staff see. */
    public String labelJa() {
        return labelJa;
    }
}
