package jp.kitamoto.lists.mail.routing;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.ListAddresses;

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
        // VERP: list-bounces+TOKEN. The token is case-folded base32, so lower-casing it is safe.
        int plus = lower.indexOf(ListAddresses.TOKEN_SEPARATOR);
        if (plus > 0) {
            String base = lower.substring(0, plus);
            String token = lower.substring(plus + 1);
            String suffix = "-" + CommandKind.BOUNCES.suffix();
            if (base.endsWith(suffix) && !token.isEmpty() && token.matches("[a-z0-9]+")) {
                String list = base.substring(0, base.length() - suffix.length());
                if (listExists.test(list)) {
                    return Optional.of(new ListAddress(list, Optional.of(CommandKind.BOUNCES), Optional.of(token)));
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
}
