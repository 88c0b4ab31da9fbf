package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.web.WebModule;
import jp.kitamoto.lists.web.WebSupport;
import jp.kitamoto.lists.web.archive.MessageView;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.ArchiveMapper.PostSummary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Held posts (approve, reject, discard, one by one or in bulk), any post's content, and its deliveries. */
public final class PostRoutes implements WebModule {
    private static final int DELIVERY_PAGE = 100;

    /** One delivery overview line: a post and how many copies are in each state. */
    public record PostRow(PostSummary post, long sent, long pending, long failed) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/lists/{id}/held", ctx -> {
            MailingList list = ListRoutes.moderated(web, ctx);
            List<PostSummary> held = web.deps().database().read(s -> s.getMapper(ArchiveMapper.class)
                    .findRecent(list.id(), "HELD", 500));
            web.render(ctx, "staff/held.jte", Map.of("page", web.page(ctx, "保留中の投稿: " + list.displayName()),
                    "list", list, "posts", held));
        });
        r.post("/staff/lists/{id}/held", ctx -> {
            MailingList list = ListRoutes.moderated(web, ctx);
            StaffUser user = web.requireStaff(ctx);
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
            int done = 0;
            for (long postId : ids) {
                // Each id must be a post of this list: a moderator of one list cannot decide another's posts.
                Optional<Post> post = web.deps().database().read(s -> s.getMapper(PostMapper.class).findById(postId))
                        .filter(p -> p.listId() == list.id());
                if (post.isEmpty()) {
                    continue;
                }
                boolean ok = switch (action) {
                    case "approve" -> web.deps().moderation().approve(postId, user.username());
                    case "reject" -> web.deps().moderation().reject(postId,
                            reason.isEmpty() ? Optional.empty() : Optional.of(reason), user.username());
                    case "discard" -> web.deps().moderation().discard(postId, user.username());
                    default -> false;
                };
                if (ok) {
                    done++;
                    web.audit(ctx, "post." + action, list.id(), "post " + postId,
                            Optional.ofNullable(post.get().subject()).orElse("") + (reason.isEmpty() ? "" : " / 理由: " + reason));
                }
            }
            String label = switch (action) {
                case "approve" -> "承認して配信";
                case "reject" -> "却下";
                case "discard" -> "破棄";
                default -> "処理";
            };
            web.flash(ctx, done + " 件を" + label + "しました。" + (done < ids.size()
                    ? "（" + (ids.size() - done) + " 件はすでに処理済みでした）" : ""));
            ctx.redirect("/staff/lists/" + list.id() + "/held");
        });
        r.get("/staff/lists/{id}/posts", ctx -> {
            MailingList list = ListRoutes.moderated(web, ctx);
            List<PostRow> rows = web.deps().database().read(s -> {
                List<PostRow> out = new ArrayList<>();
                DeliveryMapper d = s.getMapper(DeliveryMapper.class);
                for (PostSummary p : s.getMapper(ArchiveMapper.class).findRecent(list.id(), null, 100)) {
                    Map<String, Long> counts = counts(d.countByPost(p.id()));
                    out.add(new PostRow(p, counts.get("SENT"), counts.get("PENDING"), counts.get("FAILED")));
                }
                return out;
            });
            web.render(ctx, "staff/posts.jte", Map.of("page", web.page(ctx, "投稿と配信: " + list.displayName()),
                    "list", list, "rows", rows));
        });
        r.get("/staff/posts/{post}", ctx -> {
            Post post = post(web, ctx);
            MailingList list = web.deps().lists().byId(post.listId()).orElseThrow();
            MessageView view = MessageView.parse(post.raw(), false);
            web.render(ctx, "staff/post.jte", Map.of("page", web.page(ctx, "投稿の内容"), "list", list, "post", post,
                    "view", view));
        });
        r.get("/staff/posts/{post}/deliveries", ctx -> {
            Post post = post(web, ctx);
            MailingList list = web.deps().lists().byId(post.listId()).orElseThrow();
            int page = StaffRoutes.pageParam(ctx);
            var data = web.deps().database().read(s -> {
                DeliveryMapper d = s.getMapper(DeliveryMapper.class);
                return Map.entry(counts(d.countByPost(post.id())),
                        d.findByPost(post.id(), page * DELIVERY_PAGE, DELIVERY_PAGE));
            });
            Map<String, Object> p = new HashMap<>();
            p.put("page", web.page(ctx, "配信状況"));
            p.put("list", list);
            p.put("post", post);
            p.put("counts", data.getKey());
            p.put("deliveries", data.getValue());
            p.put("pageNo", page);
            p.put("hasNext", data.getValue().size() == DELIVERY_PAGE);
            web.render(ctx, "staff/deliveries.jte", p);
        });
    }

    private static Map<String, Long> counts(List<DeliveryMapper.StateCount> counts) {
        Map<String, Long> m = new HashMap<>(Map.of("SENT", 0L, "PENDING", 0L, "FAILED", 0L));
        for (DeliveryMapper.StateCount c : counts) {
            m.put(c.state().name(), c.count());
        }
        return m;
    }

    private static Post post(WebSupport web, Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("post"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        Post post = web.deps().database().read(s -> s.getMapper(PostMapper.class).findById(id))
                .orElseThrow(NotFoundResponse::new);
        web.require(ctx, user.canModerate(post.listId()));
        return post;
    }

    /** For templates: the state names of deliveries. */
    public static String label(Delivery d) {
        return jp.kitamoto.lists.web.Labels.delivery(d.state());
    }
}
