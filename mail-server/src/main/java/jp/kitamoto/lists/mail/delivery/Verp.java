package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.ListAddresses;

/**
 * The per-copy envelope sender (variable envelope return path): {@code <list>-bounces+<token>@<domain>} for a copy
 * to a subscription, so that a bounce names the subscription it came from even when the bounce message itself is
 * unreadable; the plain {@code <list>-bounces@<domain>} for a copy to anybody else, whose bounces are kept but
 * counted against nobody.
 */
public final class Verp {
    /**
     * The token of a delivery row whose copy goes to no subscription. The column is NOT NULL (V001), and no
     * subscription token is empty ({@link jp.kitamoto.lists.service.Tokens}), so the empty string cannot name one.
     */
    public static final String NO_SUBSCRIPTION = "";

    private Verp() {
    }

    public static String sender(ListAddresses list, String token) {
        return isSubscription(token) ? list.bounces(token) : list.command(CommandKind.BOUNCES);
    }

    /** Whether a delivery row's token names a subscription (else the copy goes to an owner or other person). */
    public static boolean isSubscription(String token) {
        return token != null && !token.isEmpty();
    }
}
