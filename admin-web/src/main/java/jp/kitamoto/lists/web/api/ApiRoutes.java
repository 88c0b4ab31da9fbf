package jp.kitamoto.lists.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.ApiTokens;
import jp.kitamoto.lists.web.auth.ApiTokens.ApiToken;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.http.Halt;
import jp.kitamoto.lists.web.members.MemberAdmin;
import jp.kitamoto.lists.web.members.MemberAdmin.NewMember;
import jp.kitamoto.lists.web.posts.PostReview;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API under {@value #BASE} (issue #10), for the city's scripts: JSON in and out, documented in
 * {@code docs/openapi.yaml} (a test checks that the two name the same routes). It calls the same services as the
 * staff pages, so a change is checked and audited alike, with the token's name ({@code api:<name>}) as the actor.
 * One class for all routes so that the route table matches {@code docs/openapi.yaml} at a glance; each route only
 * parses, calls a service and writes JSON.
 *
 * <p>Authentication is only {@code Authorization: Bearer <token>}: a session cookie is never looked at here, which
 * is why these routes can be exempt from the CSRF check (a browser cannot be made to send a bearer token by another
 * site). Each token is rate-limited ({@value #RATE_PER_SECOND}/s, bursts of {@value #BURST}; 429 beyond).
 */
public final class ApiRoutes implements WebModule {
    public static final String BASE = "/api/v1";
    static final double RATE_PER_SECOND = 10;
    static final int BURST = 50;
    /** One bulk call at most: 32 MB of JSON holds about this many addresses, and one transaction stays bounded. */
    static final int MAX_BULK = 50_000;
    private static final String TOKEN_ATTRIBUTE = "api.token";

    private final ApiTokens tokens;
    private final ListService lists;
    private final MemberAdmin members;
    private final PostReview review;
    private final AuditLog audit;
    private final String domain;
    private final RateLimiter limiter = new RateLimiter(RATE_PER_SECOND, BURST, System::nanoTime);

    public ApiRoutes(ApiTokens tokens, ListService lists, MemberAdmin members, PostReview review, AuditLog audit,
                     String domain) {
        this.tokens = tokens;
        this.lists = lists;
        this.members = members;
        this.review = review;
        this.audit = audit;
        this.domain = domain;
    }

    /** Whether a request is an API request (its errors are problem details, not HTML pages). */
    public static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.before(BASE + "/*", this::authenticate);
        r.get(BASE + "/lists", ctx -> {
            ApiToken t = token(ctx);
            List<Map<String, Object>> out = new ArrayList<>();
            for (MailingList l : lists.all()) {
                if (t.asStaff().canModerate(l.id())) {
                    out.add(listJson(l));
                }
            }
            read(ctx, null);
            json(ctx, 200, Map.of("items", out));
        });
        r.get(BASE + "/lists/{list}/members", ctx -> {
            MailingList l = list(ctx, true);
            int offset = intParam(ctx, "offset", 0, Integer.MAX_VALUE);
            int limit = intParam(ctx, "limit", 100, 1000);
            MemberAdmin.RosterPage page = members.page(l.id(), null, null, offset, limit);
            List<Map<String, Object>> items = new ArrayList<>();
            page.rows().forEach(row -> items.add(ordered("id", row.subscriptionId(), "address", row.address(),
                    "name", row.displayName(), "state", row.state().name(), "bounceScore", row.bounceScore(),
                    "updatedAt", row.updatedAt())));
            read(ctx, l.id());
            json(ctx, 200, ordered("total", page.total(), "offset", offset, "limit", limit, "items", items));
        });
        r.post(BASE + "/lists/{list}/members", ctx -> {
            MailingList l = list(ctx, true);
            List<NewMember> add = new ArrayList<>();
            for (JsonNode n : array(ctx)) {
                if (n.isTextual()) {
                    add.add(new NewMember(n.asText(), ""));
                } else if (n.isObject() && n.path("address").isTextual()) {
                    add.add(new NewMember(n.get("address").asText(), n.path("name").asText("")));
                } else {
                    throw Problem.badRequest("各要素はアドレスの文字列か {\"address\": ..., \"name\": ...} にしてください。");
                }
            }
            List<Map<String, Object>> invalid = new ArrayList<>();
            for (int i = 0; i < add.size(); i++) {
                if (!jp.kitamoto.lists.domain.Addresses.isPlausible(
                        jp.kitamoto.lists.domain.Addresses.normalise(add.get(i).address()))) {
                    invalid.add(ordered("index", i, "address", add.get(i).address()));
                }
            }
            if (!invalid.isEmpty()) {
                // All or nothing: a script fixes its input and sends it again, no half-imported list to clean up.
                throw new Problem(422, "内容に誤りがあります", "メールアドレスとして使えないものがあります。何も登録していません。",
                        Map.of("invalid", invalid));
            }
            try {
                int n = members.addAll(l.id(), add, actor(ctx));
                json(ctx, 200, ordered("added", n));
            } catch (MembershipService.InvalidAddressException e) {
                throw new Problem(422, "内容に誤りがあります", e.getMessage());
            }
        });
        r.delete(BASE + "/lists/{list}/members", ctx -> {
            MailingList l = list(ctx, true);
            List<String> addresses = new ArrayList<>();
            for (JsonNode n : array(ctx)) {
                if (!n.isTextual()) {
                    throw Problem.badRequest("アドレスの文字列の配列にしてください。");
                }
                addresses.add(n.asText());
            }
            List<String> notFound = members.removeAll(l.id(), addresses, actor(ctx));
            json(ctx, 200, ordered("removed", addresses.size() - notFound.size(), "notFound", notFound));
        });
        r.get(BASE + "/lists/{list}/held", ctx -> {
            MailingList l = list(ctx, false);
            List<Map<String, Object>> items = new ArrayList<>();
            review.held(l.id()).forEach(p -> items.add(ordered("id", p.id(), "sender", p.sender(),
                    "subject", p.subject(), "reasons", p.reasons(), "receivedAt", p.receivedAt())));
            read(ctx, l.id());
            json(ctx, 200, Map.of("items", items));
        });
        r.post(BASE + "/lists/{list}/held/{post}/approve", ctx -> decide(ctx, PostReview.Decision.APPROVE));
        r.post(BASE + "/lists/{list}/held/{post}/reject", ctx -> decide(ctx, PostReview.Decision.REJECT));
        r.get(BASE + "/lists/{list}/posts", ctx -> {
            MailingList l = list(ctx, false);
            List<Map<String, Object>> items = new ArrayList<>();
            review.recent(l.id()).forEach(row -> items.add(ordered("id", row.post().id(),
                    "sequence", row.post().sequence(), "sender", row.post().sender(), "subject", row.post().subject(),
                    "state", row.post().state(), "receivedAt", row.post().receivedAt(),
                    "deliveries", ordered("sent", row.sent(), "pending", row.pending(), "failed", row.failed()))));
            read(ctx, l.id());
            json(ctx, 200, Map.of("items", items));
        });
        r.get(BASE + "/audit", ctx -> {
            StaffUser who = token(ctx).asStaff();
            int offset = intParam(ctx, "offset", 0, Integer.MAX_VALUE);
            int limit = intParam(ctx, "limit", 100, 1000);
            // Admins see every entry; an owner's or moderator's token only its lists' entries, as on the staff page.
            List<Long> scope = who.isAdmin() ? null : List.copyOf(who.listIds());
            List<Map<String, Object>> items = new ArrayList<>();
            audit.page(scope, offset, limit).forEach(e -> items.add(ordered("id", e.id(), "at", e.at(),
                    "actor", e.actor(), "clientIp", e.clientIp(), "action", e.action(), "listId", e.listId(),
                    "target", e.target(), "detail", e.detail())));
            read(ctx, null);
            json(ctx, 200, ordered("total", audit.count(scope), "offset", offset, "limit", limit, "items", items));
        });
    }

    private void decide(Context ctx, PostReview.Decision decision) {
        MailingList l = list(ctx, false);
        long postId;
        try {
            postId = Long.parseLong(ctx.pathParam("post"));
        } catch (NumberFormatException e) {
            throw Problem.notFound("投稿番号が正しくありません。");
        }
        String reason = "";
        if (decision == PostReview.Decision.REJECT && !ctx.body().isBlank()) {
            reason = body(ctx).path("reason").asText("").strip();
        }
        int done = review.decide(l.id(), List.of(postId), decision, reason, actor(ctx));
        if (done == 0) {
            throw Problem.notFound("このリストに保留中の投稿 " + postId + " はありません（すでに処理済みかもしれません）。");
        }
        json(ctx, 200, ordered("id", postId, "decision", decision.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** Bearer token → the token, else 401; then the rate limit, else 429. Runs before every API route. */
    private void authenticate(Context ctx) {
        String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            Problem.unauthorized("Authorization: Bearer <API トークン> を付けてください。"
                    + "トークンは管理画面の「API トークン」で管理者が発行します。").write(ctx);
            throw new Halt();
        }
        Optional<ApiToken> token = tokens.authenticate(header.substring(7).strip());
        if (token.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Problem.unauthorized("API トークンが正しくないか、取り消されています。").write(ctx);
            throw new Halt();
        }
        if (!limiter.tryAcquire(token.get().id())) {
            ctx.header("Retry-After", "1");
            new Problem(429, "リクエストが多すぎます", "1 トークンあたり毎秒 " + (int) RATE_PER_SECOND + " 件（連続 "
                    + BURST + " 件）までです。少し待ってから送り直してください。").write(ctx);
            throw new Halt();
        }
        ctx.attribute(TOKEN_ATTRIBUTE, token.get());
    }

    private static ApiToken token(Context ctx) {
        ApiToken t = ctx.attribute(TOKEN_ATTRIBUTE);
        if (t == null) {
            throw Problem.unauthorized("認証されていません。");
        }
        return t;
    }

    private static Actor actor(Context ctx) {
        return new Actor(token(ctx).actorName(), ctx.ip());
    }

    /** Every use of a token is audited: changes by the services themselves, reads here. */
    private void read(Context ctx, Long listId) {
        audit.record(actor(ctx), "api.read", listId, ctx.method() + " " + ctx.path()
                + (ctx.queryString() == null ? "" : "?" + ctx.queryString()), "");
    }

    /** The list in the path (local part or address), if the token may manage it ({@code manage}) or moderate it. */
    private MailingList list(Context ctx, boolean manage) {
        String given = ctx.pathParam("list").toLowerCase(java.util.Locale.ROOT);
        String localPart = given.endsWith("@" + domain) ? given.substring(0, given.length() - domain.length() - 1) : given;
        MailingList l = lists.byLocalPart(localPart)
                .orElseThrow(() -> Problem.notFound("リスト「" + given + "」はありません。"));
        StaffUser who = token(ctx).asStaff();
        if (!(manage ? who.canManage(l.id()) : who.canModerate(l.id()))) {
            throw Problem.forbidden("このトークンではリスト「" + l.localPart() + "」の"
                    + (manage ? "登録者を扱えません" : "投稿を扱えません") + "。");
        }
        return l;
    }

    private Map<String, Object> listJson(MailingList l) {
        return ordered("id", l.id(), "localPart", l.localPart(), "address", l.address(domain),
                "name", l.displayName(), "state", l.state().name(), "policy", l.policy().name());
    }

    private static JsonNode body(Context ctx) {
        try {
            return Problem.JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("JSON として読めません: " + e.getOriginalMessage());
        }
    }

    private static JsonNode array(Context ctx) {
        JsonNode n = body(ctx);
        if (n == null || !n.isArray()) {
            throw Problem.badRequest("本文は JSON の配列にしてください。");
        }
        if (n.size() > MAX_BULK) {
            throw new Problem(413, "リクエストが大きすぎます", "1 回に " + MAX_BULK + " 件までです。分けて送ってください。");
        }
        return n;
    }

    private static int intParam(Context ctx, String name, int dflt, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < 0 || i > max) {
                throw Problem.badRequest(name + " は 0 から " + max + " までです。");
            }
            return i;
        } catch (NumberFormatException e) {
            throw Problem.badRequest(name + " は整数にしてください。");
        }
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(Problem.JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
