package jp.kitamoto.lists.domain;

public enum DeliveryState {
    PENDING, SENT, FAILED
}
