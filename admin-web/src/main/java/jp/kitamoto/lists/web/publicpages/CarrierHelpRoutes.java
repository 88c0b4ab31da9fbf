package jp.kitamoto.lists.web.publicpages;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.Map;
import java.util.Optional;

/**
 * {@code /help/carrier}: how members on docomo, au and SoftBank phones let the list's mail in. Carrier mail refuses
 * mail from unknown domains and mail "sent in someone else's name" (a list re-sends a member's post from our server)
 * unless the member registers our domain; the page names exactly what to register: the list domain (the From of
 * list mail and of our notices) and the domain of the envelope sender (the VERP bounce address), which carriers
 * check as well. With {@code ?list=bunka} it also names that list's address. Linked from every list page, the
 * subscription confirmation mail and the standard list footer.
 */
public final class CarrierHelpRoutes implements WebModule {
    /** The path, for links. */
    public static final String PATH = "/help/carrier";

    private final ListService lists;
    private final String domain;

    public CarrierHelpRoutes(ListService lists, String domain) {
        this.lists = lists;
        this.domain = domain;
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get(PATH, ctx -> {
            Optional<MailingList> list = Optional.ofNullable(ctx.queryParam("list"))
                    .filter(s -> s.matches("[A-Za-z0-9._-]{1,64}")).flatMap(lists::byLocalPart)
                    .filter(MailingList::isOpen);
            // Both domains come from the one home of list addresses, so the page cannot name a stale one.
            ListAddresses addresses = new ListAddresses(list.map(MailingList::localPart).orElse("list"), domain);
            String bounces = addresses.bounces("x");
            web.render(ctx, "site/carrier.jte", Map.of(
                    "page", web.page(ctx, web.texts(ctx).get("page.carrier.title")),
                    "listDomain", addresses.post().substring(addresses.post().indexOf('@') + 1),
                    "senderDomain", bounces.substring(bounces.indexOf('@') + 1),
                    "listAddress", list.map(l -> addresses.post()).orElse(""),
                    "requestAddress", list.map(l -> addresses.request()).orElse(""),
                    "listName", list.map(MailingList::displayName).orElse(""),
                    "listPage", list.map(l -> "/lists/" + l.localPart()).orElse("")));
        });
    }
}
