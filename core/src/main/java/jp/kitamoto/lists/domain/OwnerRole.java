package jp.kitamoto.lists.domain;

public enum OwnerRole {
    OWNER, MODERATOR
}
