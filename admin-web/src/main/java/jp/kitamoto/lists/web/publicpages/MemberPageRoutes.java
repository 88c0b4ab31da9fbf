package jp.kitamoto.lists.web.publicpages;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DeliveryMode;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.http.Halt;
import jp.kitamoto.lists.web.members.MemberSelfService;
import jp.kitamoto.lists.web.members.MemberSignIn;
import jp.kitamoto.lists.web.members.SubscriptionRequests;
import jp.kitamoto.lists.web.store.MemberPageMapper.MySubscription;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The member's own page, {@code /me} (#12): sign-in by a mailed link, then every list the member is on with its
 * state, and leave, pause (with an optional end date) and resume, each post or digest, and the display name.
 * Like every mailed link here, {@code GET /me/signin/<token>} only shows a button; its POST signs in. Every POST is
 * CSRF-checked by admin-web's before handler; every change is made by {@link MemberSelfService} for the member of
 * the session, never for an id the form names alone.
 */
public final class MemberPageRoutes implements WebModule {
    private final MemberSignIn signIn;
    private final MemberSelfService self;
    private final SignedInMember signedIn;
    private final DigestSettings digests;

    public MemberPageRoutes(MemberSignIn signIn, MemberSelfService self, SignedInMember signedIn,
                            DigestSettings digests) {
        this.signIn = signIn;
        this.self = self;
        this.signedIn = signedIn;
        this.digests = digests;
    }

    /**
     * One line of the page: a list the member is on, as the template shows it. {@code hasDigest} is false for a
     * list that sends no digest: a member may still choose it (the choice waits for the list to start one), but
     * meanwhile gets each post, as the fan-out does ({@code DeliveryMapper.expandPost}), and the page says so.
     */
    public record Row(long id, String localPart, String listName, String state, boolean paused, boolean canPause,
                      DeliveryMode mode, String archiveLink, boolean hasDigest) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/me", ctx -> {
            Optional<Long> member = signedIn.id(ctx);
            if (member.isEmpty()) {
                signInForm(web, ctx, "", "");
            } else {
                showPage(web, ctx, member.get(), "");
            }
        });
        r.post("/me/signin", ctx -> {
            Texts t = web.texts(ctx);
            String typed = Optional.ofNullable(ctx.formParam("address")).orElse("");
            MemberSignIn.Outcome outcome;
            try {
                outcome = signIn.requestLink(typed, ctx.ip(), t);
            } catch (SubscriptionRequests.BadAddressException e) {
                ctx.status(HttpStatus.BAD_REQUEST);
                signInForm(web, ctx, t.get("page.me.signin.badAddress"), typed);
                return;
            }
            if (outcome == MemberSignIn.Outcome.THROTTLED) {
                ctx.status(HttpStatus.TOO_MANY_REQUESTS);
                signInForm(web, ctx, t.format("page.me.signin.throttled",
                        "minutes", MemberSignIn.THROTTLE_WINDOW.toMinutes()), typed);
                return;
            }
            web.render(ctx, "me/sent.jte", Map.of("page", web.page(ctx, t.get("page.me.sent.title")),
                    "minutes", MemberSignIn.LINK_TTL.toMinutes()));
        });
        r.get("/me/signin/{token}", ctx -> {
            Texts t = web.texts(ctx);
            if (signIn.pendingMember(ctx.pathParam("token")).isEmpty()) {
                expired(web, ctx);
                return;
            }
            web.render(ctx, "me/confirm.jte", Map.of("page", web.page(ctx, t.get("page.me.confirm.title")),
                    "token", ctx.pathParam("token")));
        });
        r.post("/me/signin/{token}", ctx -> {
            Optional<Long> member = signIn.redeem(ctx.pathParam("token"), ctx.ip());
            if (member.isEmpty()) {
                expired(web, ctx);
                return;
            }
            signedIn.signIn(ctx, member.get());
            ctx.redirect("/me", HttpStatus.SEE_OTHER);
        });
        r.post("/me/signout", ctx -> {
            Optional<Long> member = signedIn.id(ctx);
            signedIn.signOut(ctx);
            member.ifPresent(id -> self.signedOut(id, actor(ctx, id)));
            ctx.redirect("/me", HttpStatus.SEE_OTHER);
        });
        r.post("/me/name", ctx -> {
            long member = requireMember(web, ctx);
            Texts t = web.texts(ctx);
            try {
                self.rename(member, ctx.formParam("displayName"), actor(ctx, member));
            } catch (MemberSelfService.NameTooLongException e) {
                ctx.status(HttpStatus.BAD_REQUEST);
                showPage(web, ctx, member, t.format("page.me.name.tooLong", "max", MemberSelfService.MAX_NAME_LENGTH));
                return;
            }
            done(web, ctx, t.get("page.me.name.done"));
        });
        r.post("/me/subscriptions/{id}/leave", ctx -> {
            long member = requireMember(web, ctx);
            MySubscription sub = act(web, ctx, member, () -> self.leave(member, id(ctx), actor(ctx, member)));
            done(web, ctx, web.texts(ctx).format("page.me.leave.done", "list", sub.displayName()));
        });
        r.post("/me/subscriptions/{id}/pause", ctx -> {
            long member = requireMember(web, ctx);
            Texts t = web.texts(ctx);
            LocalDate until;
            try {
                String typed = Optional.ofNullable(ctx.formParam("until")).orElse("").strip();
                until = typed.isEmpty() ? null : LocalDate.parse(typed);
            } catch (DateTimeParseException e) {
                until = LocalDate.MIN;
            }
            LocalDate end = until;
            MySubscription sub;
            try {
                sub = act(web, ctx, member, () -> self.pause(member, id(ctx), end, actor(ctx, member)));
            } catch (MemberSelfService.BadDateException e) {
                ctx.status(HttpStatus.BAD_REQUEST);
                showPage(web, ctx, member, t.get("page.me.pause.badDate"));
                return;
            }
            done(web, ctx, t.format("page.me.pause.done", "list", sub.displayName()));
        });
        r.post("/me/subscriptions/{id}/resume", ctx -> {
            long member = requireMember(web, ctx);
            MySubscription sub = act(web, ctx, member, () -> self.resume(member, id(ctx), actor(ctx, member)));
            done(web, ctx, web.texts(ctx).format("page.me.resume.done", "list", sub.displayName()));
        });
        r.post("/me/subscriptions/{id}/mode", ctx -> {
            long member = requireMember(web, ctx);
            Texts t = web.texts(ctx);
            DeliveryMode mode;
            try {
                mode = DeliveryMode.valueOf(Optional.ofNullable(ctx.formParam("mode")).orElse(""));
            } catch (IllegalArgumentException e) {
                web.errorPage(ctx, HttpStatus.BAD_REQUEST, null);
                return;
            }
            MySubscription sub = act(web, ctx, member,
                    () -> self.setDeliveryMode(member, id(ctx), mode, actor(ctx, member)));
            String said = t.format("page.me.mode.done", "list", sub.displayName(), "mode", modeText(t, mode));
            if (mode == DeliveryMode.DIGEST && digests.of(sub.listId()).isEmpty()) {
                said += " " + t.get("page.me.mode.noDigest");
            }
            done(web, ctx, said);
        });
    }

    private void signInForm(WebSupport web, Context ctx, String error, String typed) {
        web.render(ctx, "me/signin.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.me.title")),
                "error", error, "typed", typed));
    }

    private void expired(WebSupport web, Context ctx) {
        ctx.status(HttpStatus.NOT_FOUND);
        web.render(ctx, "me/expired.jte", Map.of("page", web.page(ctx, web.texts(ctx).get("page.me.expired.title"))));
    }

    private void showPage(WebSupport web, Context ctx, long memberId, String error) {
        Texts t = web.texts(ctx);
        Member member = self.member(memberId);
        List<Row> rows = self.subscriptions(memberId).stream().map(sub -> row(t, sub)).toList();
        Map<String, Object> p = new HashMap<>();
        p.put("page", web.page(ctx, t.get("page.me.title")));
        p.put("address", member.address());
        p.put("displayName", member.displayName());
        p.put("rows", rows);
        p.put("error", error);
        p.put("firstResumeDay", self.firstResumeDay().toString());
        p.put("lastResumeDay", self.lastResumeDay().toString());
        web.render(ctx, "me/page.jte", p);
    }

    private Row row(Texts t, MySubscription sub) {
        boolean paused = self.paused(sub);
        String state = switch (sub.state()) {
            case PENDING -> t.get("page.me.state.pending");
            case SUSPENDED -> t.get("page.me.state.suspended");
            default -> !paused ? t.get("page.me.state.active") : sub.resumeAt() == null ? t.get("page.me.state.paused")
                    : t.format("page.me.state.pausedUntil", "date", date(t, sub.resumeAt()));
        };
        String archive = sub.archiveVisibility() == ArchiveVisibility.CLOSED
                || sub.state() == SubscriptionState.PENDING ? "" : "/lists/" + sub.localPart() + "/archive";
        return new Row(sub.id(), sub.localPart(), sub.displayName(), state, paused,
                sub.state() != SubscriptionState.PENDING, sub.deliveryMode(), archive,
                !digests.of(sub.listId()).isEmpty());
    }

    private static String date(Texts t, long epochMillis) {
        return DateTimeFormatter.ofPattern(t.get("page.me.dateFormat"), t.locale())
                .format(Instant.ofEpochMilli(epochMillis).atZone(jp.kitamoto.lists.domain.JapanTime.ZONE));
    }

    static String modeText(Texts t, DeliveryMode mode) {
        return t.get(mode == DeliveryMode.DIGEST ? "page.me.mode.digest" : "page.me.mode.each");
    }

    /** The member of the session; otherwise the request ends (a POST without a sign-in changes nothing). */
    private long requireMember(WebSupport web, Context ctx) {
        Optional<Long> member = signedIn.id(ctx);
        if (member.isEmpty()) {
            web.errorPage(ctx, HttpStatus.UNAUTHORIZED, web.texts(ctx).get("page.me.signin.required"));
            throw new Halt();
        }
        return member.get();
    }

    private interface Action {
        MySubscription run();
    }

    /** Runs a change of one subscription; a subscription id that is not the member's ends the request with 403. */
    private static MySubscription act(WebSupport web, Context ctx, long member, Action action) {
        try {
            return action.run();
        } catch (MemberSelfService.NotYoursException e) {
            web.errorPage(ctx, HttpStatus.FORBIDDEN, web.texts(ctx).get("page.me.notYours"));
            throw new Halt();
        }
    }

    private static void done(WebSupport web, Context ctx, String message) {
        web.flash(ctx, message);
        ctx.redirect("/me", HttpStatus.SEE_OTHER);
    }

    private static Actor actor(Context ctx, long memberId) {
        return Actor.member(memberId, ctx.ip());
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new MemberSelfService.NotYoursException();
        }
    }
}
