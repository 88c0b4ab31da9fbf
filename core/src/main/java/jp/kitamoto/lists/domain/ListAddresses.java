package jp.kitamoto.lists.domain;

import java.util.Locale;

/**
 * The one home of a list's mail addresses: the post address and its sub-addresses ({@code bunka-request@},
 * {@code bunka-owner@}, {@code bunka-bounces+TOKEN@}, ...). Everything that writes such an address asks here, and
 * the routing code parses with the same suffixes ({@link CommandKind#suffix()}), so the two cannot drift apart.
 *
 * <pre>
 * ListAddresses a = list.addresses(settings.server().domain());
 * a.post()            // bunka@ml.kitamoto.example
 * a.owner()           // bunka-owner@ml.kitamoto.example
 * a.bounces(token)    // bunka-bounces+k3x9...@ml.kitamoto.example (VERP)
 * a.leave(token)      // bunka-leave+k3x9...@ml.kitamoto.example (List-Unsubscribe mailto: unsubscribes at once)
 * </pre>
 */
public record ListAddresses(String localPart, String domain) {

    /** Separates a sub-address from its token ({@code bunka-bounces+TOKEN}). */
    public static final char TOKEN_SEPARATOR = '+';

    public ListAddresses {
        localPart = localPart.toLowerCase(Locale.ROOT);
    }

    public static ListAddresses of(MailingList list, String domain) {
        return new ListAddresses(list.localPart(), domain);
    }

    /** Where members post: {@code bunka@domain}. */
    public String post() {
        return localPart + "@" + domain;
    }

    /** {@code bunka-<suffix>@domain}. */
    public String command(CommandKind kind) {
        return localPart + "-" + kind.suffix() + "@" + domain;
    }

    /** {@code bunka-<suffix>+<token>@domain}: a sub-address personal to one subscription. */
    public String command(CommandKind kind, String token) {
        return localPart + "-" + kind.suffix() + TOKEN_SEPARATOR + token + "@" + domain;
    }

    /** The list's help and command address, also the sender of mail the server writes for the list. */
    public String request() {
        return command(CommandKind.REQUEST);
    }

    /** The list's owners and moderators. */
    public String owner() {
        return command(CommandKind.OWNER);
    }

    public String join() {
        return command(CommandKind.JOIN);
    }

    public String leave() {
        return command(CommandKind.LEAVE);
    }

    /**
     * The personal unsubscribe address of one subscription, offered as the {@code mailto:} of List-Unsubscribe: a
     * mail to it unsubscribes that subscription at once. The token is the authority (as in the one-click URL), not
     * the sender, so a forged From cannot unsubscribe anybody else.
     */
    public String leave(String token) {
        return command(CommandKind.LEAVE, token);
    }

    /** The VERP envelope sender of one subscription's copies: bounces come back to it. */
    public String bounces(String token) {
        return command(CommandKind.BOUNCES, token);
    }

    /** RFC 2919 List-Id value (without the phrase): {@code bunka.domain}. */
    public String listId() {
        return localPart + "." + domain;
    }
}
