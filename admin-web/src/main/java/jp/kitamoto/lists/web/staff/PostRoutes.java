package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.web.archive.MessageView;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.posts.PostReview;
import jp.kitamoto.lists.web.support.Labels;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Held posts (approve, reject, discard, one by one or in bulk), any post's content, and its deliveries. */
public final class PostRoutes implements WebModule {
    private static final int DELIVERY_PAGE = 100;
    private final StaffAccess access;
    private final ListService lists;
    private final PostQueries posts;
    private final PostReview review;

    public PostRoutes(StaffAccess access, ListService lists, PostQueries posts, PostReview review) {
        this.access = access;
        this.lists = lists;
        this.posts = posts;
        this.review = review;
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/lists/{id}/held", ctx -> {
            MailingList list = access.moderated(web, ctx);
            web.render(ctx, "staff/held.jte", Map.of("page", web.page(ctx, web.texts(ctx).format("page.staff.held.title", "list", list.displayName())),
                    "list", list, "posts", review.held(list.id())));
        });
        r.post("/staff/lists/{id}/held", ctx -> {
            MailingList list = access.moderated(web, ctx);
            String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
            String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
            List<Long> ids = new ArrayList<>();
            for (String s : ctx.formParams("post")) {
                try {
                    ids.add(Long.parseLong(s));
                } catch (NumberFormatException ignored) {
                    // Not one of our checkboxes.
                }
            }
            PostReview.Decision decision = switch (action) {
                case "approve" -> PostReview.Decision.APPROVE;
                case "reject" -> PostReview.Decision.REJECT;
                case "discard" -> PostReview.Decision.DISCARD;
                default -> null;
            };
            int done = decision == null ? 0
                    : review.decide(list.id(), ids, decision, reason, StaffAccess.actor(web, ctx));
            var texts = web.texts(ctx);
            String key = switch (action) {
                case "approve", "reject", "discard" -> "page.staff.held.done." + action;
                default -> "page.staff.held.done.other";
            };
            web.flash(ctx, texts.format(key, "count", done) + (done < ids.size()
                    ? texts.format("page.staff.held.alreadyDone", "count", ids.size() - done) : ""));
            ctx.redirect("/staff/lists/" + list.id() + "/held");
        });
        r.get("/staff/lists/{id}/posts", ctx -> {
            MailingList list = access.moderated(web, ctx);
            web.render(ctx, "staff/posts.jte", Map.of("page", web.page(ctx, web.texts(ctx).format("page.staff.posts.title", "list", list.displayName())),
                    "list", list, "rows", review.recent(list.id())));
        });
        r.get("/staff/posts/{post}", ctx -> {
            Post post = post(web, ctx);
            MailingList list = lists.byId(post.listId()).orElseThrow();
            MessageView view = MessageView.parse(post.raw(), false);
            web.render(ctx, "staff/post.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.staff.post.title")), "list", list, "post", post,
                    "view", view, "defects", posts.defects(post.id()).orElse("")));
        });
        r.get("/staff/posts/{post}/deliveries", ctx -> {
            Post post = post(web, ctx);
            MailingList list = lists.byId(post.listId()).orElseThrow();
            int page = StaffAccess.pageParam(ctx);
            List<Delivery> deliveries = posts.deliveries(post.id(), page * DELIVERY_PAGE, DELIVERY_PAGE);
            Map<String, Object> p = new HashMap<>();
            p.put("page", web.page(ctx, web.texts(ctx).get("page.staff.post.deliveries")));
            p.put("list", list);
            p.put("post", post);
            p.put("counts", posts.deliveryCounts(post.id()));
            p.put("deliveries", deliveries);
            p.put("pageNo", page);
            p.put("hasNext", deliveries.size() == DELIVERY_PAGE);
            web.render(ctx, "staff/deliveries.jte", p);
        });
        r.post("/staff/posts/{post}/deliveries/resend", ctx -> {
            Post post = post(web, ctx);
            int n = review.resendFailed(post.listId(), post.id(), StaffAccess.actor(web, ctx));
            web.flash(ctx, web.texts(ctx).format("page.staff.deliveries.resent", "count", n));
            ctx.redirect("/staff/posts/" + post.id() + "/deliveries");
        });
    }

    private Post post(WebSupport web, Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("post"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        Post post = posts.byId(id).orElseThrow(NotFoundResponse::new);
        web.require(ctx, user.canModerate(post.listId()));
        return post;
    }

    /** For templates: the state names of deliveries. */
    public static String label(Delivery d) {
        return Labels.delivery(d.state());
    }
}
