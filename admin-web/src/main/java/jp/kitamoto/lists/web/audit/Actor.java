package jp.kitamoto.lists.web.audit;

/**
 * Who asks for a change and from where, as the audit log records it: a staff user name, or {@code public} for the
 * public pages, and the client address. Services take it so that the web, a command line and a REST API audit alike.
 */
public record Actor(String name, String clientIp) {
    /** The actor name of anybody not signed in (the public pages). */
    public static final String PUBLIC = "public";

    public static Actor publicVisitor(String clientIp) {
        return new Actor(PUBLIC, clientIp);
    }
}
