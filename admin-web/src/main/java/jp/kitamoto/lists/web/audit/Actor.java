package jp.kitamoto.lists.web.audit;

/**
 * Who asks for a change and from where, as the audit log records it: a staff user name, {@code public} for the
 * public pages, {@code member:<id>} for a member on their own page, and the client address. Services take it so
 * that the web, a command line and a REST API audit alike.
 */
public record Actor(String name, String clientIp) {
    /** The actor name of anybody not signed in (the public pages). */
    public static final String PUBLIC = "public";

    public static Actor publicVisitor(String clientIp) {
        return new Actor(PUBLIC, clientIp);
    }

    /**
     * A member signed in on their own page (#12): {@code member:<member id>}. The id, not the address, so that the
     * actor column never holds personal data of its own; staff find the address from the entry's target or the roster.
     */
    public static Actor member(long memberId, String clientIp) {
        return new Actor("member:" + memberId, clientIp);
    }
}
