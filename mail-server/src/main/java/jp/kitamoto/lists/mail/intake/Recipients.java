package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mail.routing.ListAddress;
import jp.kitamoto.lists.mail.routing.RecipientParser;
import jp.kitamoto.lists.mail.routing.Route;
import jp.kitamoto.lists.service.ListService;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The one answer to "do we take mail for this address?", asked by our own RCPT ({@link ListRcptHook}) and by the
 * Postfix in front of us through {@link PostfixRecipientMap}, so the two can never disagree: whatever we would
 * refuse, Postfix refuses at its RCPT too, instead of accepting it and bouncing it later (backscatter).
 *
 * <p>A personal unsubscribe address ({@code bunka-leave+TOKEN@}) is ours only while the token names a subscription
 * of that list: an unknown token is refused now (550 5.1.1), so no mail is ever written to whoever sent it, and a
 * forged sender learns nothing and gets nothing.
 */
public final class Recipients {
    /** Why an address is not ours; each has its own SMTP reply. */
    public enum Refusal { OTHER_DOMAIN, UNKNOWN, CLOSED_LIST }

    /** Either the route of an address we take, or why we refuse it. */
    public record Verdict(Optional<Route> route, Optional<Refusal> refusal) {
        static Verdict accept(Route route) {
            return new Verdict(Optional.of(route), Optional.empty());
        }

        static Verdict refuse(Refusal why) {
            return new Verdict(Optional.empty(), Optional.of(why));
        }

        public boolean accepted() {
            return route.isPresent();
        }
    }

    private final String domain;
    private final ListService lists;
    private final BiPredicate<Long, String> subscriptionToken;

    /** {@code subscriptionToken} tells whether a token names a subscription of the list with that id. */
    public Recipients(String domain, ListService lists, BiPredicate<Long, String> subscriptionToken) {
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.lists = lists;
        this.subscriptionToken = subscriptionToken;
    }

    public String domain() {
        return domain;
    }

    /** The verdict on {@code localPart@domain}. */
    public Verdict check(String localPart, String domainOfAddress) {
        if (!domainOfAddress.toLowerCase(Locale.ROOT).equals(domain)) {
            return Verdict.refuse(Refusal.OTHER_DOMAIN);
        }
        Optional<Route> route = route(localPart);
        if (route.isEmpty()) {
            return Verdict.refuse(Refusal.UNKNOWN);
        }
        Route r = route.get();
        if (!r.list().isOpen() && r.isPost()) {
            return Verdict.refuse(Refusal.CLOSED_LIST);
        }
        if (r.is(CommandKind.LEAVE) && r.address().token().isPresent()
                && !subscriptionToken.test(r.list().id(), r.address().token().get())) {
            return Verdict.refuse(Refusal.UNKNOWN);
        }
        return Verdict.accept(r);
    }

    /** The verdict on a whole address ({@code local@domain}); no {@code @} is refused. */
    public Verdict check(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Verdict.refuse(Refusal.UNKNOWN);
        }
        return check(address.substring(0, at), address.substring(at + 1));
    }

    /** Parses the local part, keeping the list the parser found so it is looked up once. */
    private Optional<Route> route(String localPart) {
        Map<String, MailingList> found = new HashMap<>();
        Optional<ListAddress> address = new RecipientParser(name -> {
            Optional<MailingList> list = lists.byLocalPart(name);
            list.ifPresent(l -> found.put(name, l));
            return list.isPresent();
        }).parse(localPart);
        return address.map(a -> new Route(found.get(a.listName()), a));
    }
}
