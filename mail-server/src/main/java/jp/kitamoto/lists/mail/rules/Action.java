package jp.kitamoto.lists.mail.rules;

/** What happens to a post. Only {@link #ACCEPT} distributes it; every other outcome keeps it stored. */
public enum Action {
    ACCEPT, HOLD, DISCARD
}
