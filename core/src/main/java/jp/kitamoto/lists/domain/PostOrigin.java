package jp.kitamoto.lists.domain;

public enum PostOrigin {
    SMTP, NOTICE, OWNER_FORWARD
}
