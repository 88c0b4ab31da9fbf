package jp.kitamoto.lists.schedules.model;

public enum CallState {
    OPEN("募集中"), CANCELLED("中止");

    private final String labelJa;

    CallState(String labelJa) {
        this.labelJa = labelJa;
    }

    /** The label staff see. */
    public String labelJa() {
        return labelJa;
    }
}
