package jp.kitamoto.lists.domain;

public enum ArchiveVisibility {
    PUBLIC, MEMBERS, CLOSED
}
