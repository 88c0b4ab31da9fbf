package jp.kitamoto.lists.domain;

/** What a list is for: a purpose list of the plan, a liaison council (施策 4), or an announcement channel. */
public enum ListKind {
    PURPOSE, COUNCIL, ANNOUNCE
}
