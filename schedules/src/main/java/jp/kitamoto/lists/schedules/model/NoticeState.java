package jp.kitamoto.lists.schedules.model;

public enum NoticeState {
    DRAFT("下書き"), ACTIVE("予約中"), PAUSED("一時停止"), CANCELLED("取消"), DONE("完了");

    private final String labelJa;

    NoticeState(String labelJa) {
        this.labelJa = labelJa;
    }

    /** The label staff see. */
    public String labelJa() {
        return labelJa;
    }
}
