package jp.kitamoto.lists.domain;

public enum ListState {
    OPEN, CLOSED
}
