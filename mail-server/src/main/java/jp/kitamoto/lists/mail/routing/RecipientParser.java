package jp.kitamoto.lists.mail.routing;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.service.Tokens;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Splits a recipient local part into a list name and a sub-address, like Mailman's {@code split_recipient}. Pure:
 * whether a list exists is asked of the predicate, so the table-driven test needs no database.
 *
 * <p>It reads the suffixes and the token separator {@link ListAddresses} writes with, so the two cannot drift apart.
 *
 * <p>A list's own name may contain dashes ({@code bosai-council}), so a suffix only counts as a command when what
 * precedes it is a list; a list named {@code foo-owner} would win over the owner address of {@code foo}.
 */
public final class RecipientParser {
    /** The sub-addresses that may carry a subscription's token. */
    private static final CommandKind[] TOKEN_KINDS = {CommandKind.BOUNCES, CommandKind.LEAVE};

    private final Predicate<String> listExists;

    public RecipientParser(Predicate<String> listExists) {
        this.listExists = listExists;
    }

    public Optional<ListAddress> parse(String localPart) {
        if (localPart == null || localPart.isEmpty()) {
            return Optional.empty();
        }
        String lower = localPart.toLowerCase(Locale.ROOT);
        if (listExists.test(lower)) {
            return Optional.of(new ListAddress(lower, Optional.empty(), Optional.empty()));
        }
        // Personal sub-addresses: list-bounces+TOKEN (VERP) and list-leave+TOKEN (List-Unsubscribe mailto). Tokens
        // are case-folded base32, so lower-casing them is safe.
        int plus = lower.indexOf(ListAddresses.TOKEN_SEPARATOR);
        if (plus > 0) {
            String base = lower.substring(0, plus);
            String token = lower.substring(plus + 1);
            for (CommandKind kind : TOKEN_KINDS) {
                String suffix = "-" + kind.suffix();
                if (base.endsWith(suffix) && wellFormed(kind, token)) {
                    String list = base.substring(0, base.length() - suffix.length());
                    if (listExists.test(list)) {
                        return Optional.of(new ListAddress(list, Optional.of(kind), Optional.of(token)));
                    }
                }
            }
            return Optional.empty();
        }
        for (CommandKind kind : CommandKind.values()) {
            String suffix = "-" + kind.suffix();
            if (lower.endsWith(suffix)) {
                String list = lower.substring(0, lower.length() - suffix.length());
                if (!list.isEmpty() && listExists.test(list)) {
                    return Optional.of(new ListAddress(list, Optional.of(kind), Optional.empty()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A bounce keeps the loose check it always had (anything base32-like: a bounce to an old or mangled token is
     * still kept and counted against nobody). An unsubscribe address must have exactly the shape of a token, so
     * nothing else is even looked up.
     */
    private static boolean wellFormed(CommandKind kind, String token) {
        return kind == CommandKind.LEAVE ? Tokens.isWellFormed(token) : !token.isEmpty() && token.matches("[a-z0-9]+");
    }
}
