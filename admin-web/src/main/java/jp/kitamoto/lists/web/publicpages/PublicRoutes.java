package jp.kitamoto.lists.web.publicpages;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.members.SubscriptionRequests;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.store.ConfirmationMapper.Confirmation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pages for members and the public. Nothing reached by GET changes state: mail scanners open every link in a mail,
 * so the links we mail lead to a page with a button, and only its POST acts.
 */
public final class PublicRoutes implements WebModule {
    private final ListService lists;
    private final String domain;
    private final SubscriptionRequests requests;
    private final byte[] css;

    public PublicRoutes(ListService lists, String domain, SubscriptionRequests requests) {
        this.lists = lists;
        this.domain = domain;
        this.requests = requests;
        try (InputStream in = PublicRoutes.class.getResourceAsStream("/jp/kitamoto/lists/web/static/site.css")) {
            this.css = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists of one purpose category, for the index. */
    public record CategoryGroup(PurposeCategory category, List<MailingList> lists) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/static/site.css", ctx -> {
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType("text/css; charset=UTF-8").result(css);
        });
        r.get("/", ctx -> {
            List<CategoryGroup> groups = new ArrayList<>();
            List<MailingList> open = lists.all().stream().filter(MailingList::isOpen).toList();
            for (PurposeCategory c : PurposeCategory.values()) {
                List<MailingList> ls = open.stream().filter(l -> l.category() == c).toList();
                if (!ls.isEmpty()) {
                    groups.add(new CategoryGroup(c, ls));
                }
            }
            web.render(ctx, "site/index.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.index.title")), "groups", groups));
        });
        r.get("/lists/{list}", ctx -> {
            MailingList list = list(ctx);
            showList(web, ctx, list, null, null, "");
        });
        r.post("/lists/{list}/subscribe", ctx -> {
            MailingList list = list(ctx);
            if (!list.isOpen()) {
                throw new NotFoundResponse();
            }
            String address = Optional.ofNullable(ctx.formParam("address")).orElse("");
            String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
            try {
                requests.requestSubscription(list, address, name, ctx.ip(), web.texts(ctx));
            } catch (SubscriptionRequests.BadAddressException e) {
                ctx.status(HttpStatus.BAD_REQUEST);
                showList(web, ctx, list, t(web, ctx, "page.list.badAddress"), address, name);
                return;
            }
            web.render(ctx, "site/sent.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.sent.title")), "list", list,
                    "leaving", false));
        });
        r.get("/confirm/{token}", ctx -> {
            Optional<Confirmation> c = requests.pending(ctx.pathParam("token"));
            Optional<MailingList> list = c.flatMap(x -> lists.byId(x.listId()));
            if (c.isEmpty() || list.isEmpty()) {
                ctx.status(HttpStatus.NOT_FOUND);
                web.render(ctx, "site/expired.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.expired.title"))));
                return;
            }
            web.render(ctx, "site/confirm.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.confirm.title")), "list", list.get(),
                    "token", c.get().token()));
        });
        r.post("/confirm/{token}", ctx -> {
            Optional<Long> listId = requests.confirm(ctx.pathParam("token"), ctx.ip(), web.texts(ctx).locale());
            if (listId.isEmpty()) {
                ctx.status(HttpStatus.NOT_FOUND);
                web.render(ctx, "site/expired.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.expired.title"))));
                return;
            }
            MailingList list = lists.byId(listId.get()).orElseThrow();
            web.render(ctx, "site/done.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.done.subscribedTitle")), "list", list,
                    "subscribed", true));
        });
        r.get("/lists/{list}/unsubscribe", ctx -> {
            MailingList list = list(ctx);
            web.render(ctx, "site/leave.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.leave.title")), "list", list,
                    "error", ""));
        });
        r.post("/lists/{list}/unsubscribe", ctx -> {
            MailingList list = list(ctx);
            try {
                requests.requestUnsubscription(list, ctx.formParam("address"), ctx.ip());
            } catch (SubscriptionRequests.BadAddressException e) {
                ctx.status(HttpStatus.BAD_REQUEST);
                web.render(ctx, "site/leave.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.leave.title")), "list", list,
                        "error", t(web, ctx, "page.leave.badAddress")));
                return;
            }
            web.render(ctx, "site/sent.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.sent.title")), "list", list,
                    "leaving", true));
        });
        // The per-recipient URL of List-Unsubscribe. GET only shows the button (RFC 8058 section 3.1 / mail scanners).
        r.get("/u/{token}", ctx -> {
            Optional<Subscription> sub = requests.byUnsubscribeToken(ctx.pathParam("token"));
            Optional<MailingList> list = sub.flatMap(s -> lists.byId(s.listId()));
            if (sub.isEmpty() || list.isEmpty()) {
                ctx.status(HttpStatus.NOT_FOUND);
                web.render(ctx, "site/expired.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.expired.title"))));
                return;
            }
            web.render(ctx, "site/unsubscribe.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.leave.title")), "list", list.get(),
                    "token", sub.get().token(), "already", sub.get().state() == SubscriptionState.UNSUBSCRIBED));
        });
        // RFC 8058: a POST with List-Unsubscribe=One-Click unsubscribes at once. Our own button sends the same field.
        r.post("/u/{token}", ctx -> {
            String token = ctx.pathParam("token");
            boolean fromPage = "page".equals(ctx.formParam("from"));
            if (!"One-Click".equals(ctx.formParam("List-Unsubscribe"))) {
                ctx.status(HttpStatus.BAD_REQUEST).contentType("text/plain; charset=UTF-8")
                        .result("List-Unsubscribe=One-Click expected");
                return;
            }
            Optional<Long> listId = requests.byUnsubscribeToken(token).map(Subscription::listId);
            boolean known = requests.unsubscribe(token, ctx.ip(), fromPage ? "解除ページのボタン" : "RFC 8058 ワンクリック");
            if (!known) {
                ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain; charset=UTF-8").result("unknown link");
                return;
            }
            if (fromPage) {
                MailingList list = lists.byId(listId.orElseThrow()).orElseThrow();
                web.render(ctx, "site/done.jte", Map.of("page", web.page(ctx, t(web, ctx, "page.done.unsubscribedTitle")), "list", list,
                        "subscribed", false));
            } else {
                ctx.contentType("text/plain; charset=UTF-8").result("unsubscribed");
            }
        });
    }

    private void showList(WebSupport web, Context ctx, MailingList list, String error, String address,
                                 String name) {
        boolean archive = list.archiveVisibility() == ArchiveVisibility.PUBLIC
                || web.staff(ctx).map(u -> u.canModerate(list.id())).orElse(false);
        web.render(ctx, "site/list.jte", Map.of("page", web.page(ctx, list.displayName()), "list", list,
                "address", list.addresses(domain).post(),
                "error", error == null ? "" : error, "typed", address == null ? "" : address, "name", name,
                "archive", archive));
    }

    private static String t(WebSupport web, Context ctx, String key) {
        return web.texts(ctx).get(key);
    }

    private MailingList list(Context ctx) {
        return lists.byLocalPart(ctx.pathParam("list")).orElseThrow(NotFoundResponse::new);
    }
}
