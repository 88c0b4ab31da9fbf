package jp.kitamoto.lists.domain;

public enum CommandState {
    RECEIVED, DONE, FAILED
}
