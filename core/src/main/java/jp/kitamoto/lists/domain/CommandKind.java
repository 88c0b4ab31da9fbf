package jp.kitamoto.lists.domain;

/** The sub-addresses of a list, besides the list address itself. */
public enum CommandKind {
    REQUEST("request"), JOIN("join"), LEAVE("leave"), OWNER("owner"), BOUNCES("bounces");

    private final String suffix;

    CommandKind(String suffix) {
        this.suffix = suffix;
    }

    /** The suffix after the list name and a dash: {@code bunka-request}. */
    public String suffix() {
        return suffix;
    }
}
