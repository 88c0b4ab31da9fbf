package jp.kitamoto.lists.schedules.model;

public enum SendState {
    SCHEDULED("送信予定"), SENDING("配信中"), SENT("配信済み"), CANCELLED("取消"), FAILED("失敗"), MISSED("未送信（停止中に時刻超過）");

    private final String labelJa;

    SendState(String labelJa) {
        this.labelJa = labelJa;
    }

    /** The label staff see. */
    public String labelJa() {
        return labelJa;
    }
}
