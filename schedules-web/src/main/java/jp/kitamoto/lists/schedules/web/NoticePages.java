package jp.kitamoto.lists.schedules.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeDraft;
import jp.kitamoto.lists.schedules.notice.NoticeComposer;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.text.Refusal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static jp.kitamoto.lists.schedules.web.SchedulePages.BASE;

/**
 * The notices: create (draft or scheduled), the notice's page, edit, schedule, pause, resume, cancel, duplicate,
 * a preview for one member and a test copy to oneself.
 */
final class NoticePages {
    /** The session remembers the last test address, so staff type it once. */
    private static final String TEST_ADDRESS = "schedules.testAddress";

    private final Schedules schedules;
    private final WebSupport web;
    private final ScheduleAccess access;
    private final ScheduleView view;

    NoticePages(Schedules schedules, WebSupport web, ScheduleAccess access, ScheduleView view) {
        this.schedules = schedules;
        this.web = web;
        this.access = access;
        this.view = view;
    }

    void register(RoutesConfig r) {
        r.get(BASE + "/notices/new", ctx -> form(ctx, access.staff(ctx), null, NoticeForms.blank(), null));
        r.post(BASE + "/notices", this::create);
        r.get(BASE + "/notices/{id}", this::page);
        r.get(BASE + "/notices/{id}/edit", ctx -> {
            StaffUser user = access.staff(ctx);
            Notice n = access.notice(ctx, user);
            form(ctx, user, n, NoticeForms.of(n, schedules.notices().listIds(n.id())), null);
        });
        r.post(BASE + "/notices/{id}", this::update);
        r.post(BASE + "/notices/{id}/{action}", this::action);
        r.get(BASE + "/notices/{id}/preview", this::preview);
    }

    private void create(Context ctx) {
        StaffUser user = access.staff(ctx);
        Form f = Form.of(ctx, web.texts(ctx), NoticeForms.FIELDS);
        NoticeDraft d;
        try {
            d = NoticeForms.draft(f, user, schedules.timing().now());
        } catch (IllegalArgumentException e) {
            form(ctx, user, null, f, Refusal.message(e, web.texts(ctx)));
            return;
        }
        access.requireLists(ctx, user, d.listIds());
        boolean schedule = f.is("action", "schedule");
        long id;
        try {
            id = schedule ? schedules.notices().createAndSchedule(d) : schedules.notices().create(d);
        } catch (IllegalArgumentException | IllegalStateException e) {
            form(ctx, user, null, f, Refusal.message(e, web.texts(ctx)));
            return;
        }
        web.audit(ctx, "schedule.notice.create", ScheduleAccess.first(d.listIds()), "notice " + id,
                d.title() + (schedule ? "（予約）" : "（下書き）"));
        web.flash(ctx, web.texts(ctx).get(schedule ? "page.sched.flash.scheduled" : "page.sched.flash.draft"));
        ctx.redirect(BASE + "/notices/" + id);
    }

    private void update(Context ctx) {
        StaffUser user = access.staff(ctx);
        Notice n = access.notice(ctx, user);
        Form f = Form.of(ctx, web.texts(ctx), NoticeForms.FIELDS);
        try {
            NoticeDraft d = NoticeForms.draft(f, user, schedules.timing().now());
            access.requireLists(ctx, user, d.listIds());
            schedules.notices().update(n.id(), d);
            web.audit(ctx, "schedule.notice.update", ScheduleAccess.first(d.listIds()), "notice " + n.id(), d.title());
        } catch (IllegalArgumentException | IllegalStateException e) {
            form(ctx, user, n, f, Refusal.message(e, web.texts(ctx)));
            return;
        }
        web.flash(ctx, web.texts(ctx).get("page.sched.flash.changed"));
        ctx.redirect(BASE + "/notices/" + n.id());
    }

    private void page(Context ctx) {
        StaffUser user = access.staff(ctx);
        Notice n = access.notice(ctx, user);
        Map<String, Object> p = new HashMap<>();
        p.put("notice", n);
        p.put("lists", view.lists(schedules.notices().listIds(n.id())));
        p.put("sends", schedules.notices().sendsOf(n.id()));
        p.put("history", access.history(user, n.id()));
        p.put("schedule", ScheduleDescription.of(n, web.texts(ctx)));
        p.put("call", n.callId() == null ? null : schedules.calls().find(n.callId()).orElse(null));
        p.put("testAddress", Optional.ofNullable((String) ctx.sessionAttribute(TEST_ADDRESS)).orElse(""));
        view.show(ctx, view.t(ctx, "page.sched.title.notice", "title", n.title()), "schedules/notice.jte", p);
    }

    private void preview(Context ctx) {
        StaffUser user = access.staff(ctx);
        Notice n = access.notice(ctx, user);
        List<Long> listIds = schedules.notices().listIds(n.id());
        long listId = ScheduleAccess.id(Optional.ofNullable(ctx.queryParam("list")).orElse(""),
                ScheduleAccess.first(listIds));
        String member = Optional.ofNullable(ctx.queryParam("member")).orElse("").strip();
        if (!listIds.contains(listId)) {
            throw new NotFoundResponse();
        }
        MailingList list = web.deps().lists().byId(listId).orElseThrow(NotFoundResponse::new);
        NoticeComposer.Rendered r = schedules.notices().preview(n.id(), listId,
                member.isEmpty() ? "member@example.jp" : member);
        view.show(ctx, view.t(ctx, "page.sched.title.preview", "title", n.title()), "schedules/preview.jte", Map.of("notice", n, "list", list,
                "member", member, "rendered", r));
    }

    private void action(Context ctx) {
        StaffUser user = access.staff(ctx);
        Notice n = access.notice(ctx, user);
        String action = ctx.pathParam("action");
        Long listId = ScheduleAccess.first(schedules.notices().listIds(n.id()));
        String target = "notice " + n.id();
        try {
            switch (action) {
                case "schedule" -> {
                    schedules.notices().schedule(n.id());
                    web.flash(ctx, web.texts(ctx).get("page.sched.flash.scheduled"));
                }
                case "pause" -> {
                    schedules.notices().pause(n.id());
                    web.flash(ctx, web.texts(ctx).get("page.sched.flash.paused"));
                }
                case "resume" -> {
                    schedules.notices().resume(n.id());
                    web.flash(ctx, web.texts(ctx).get("page.sched.flash.resumed"));
                }
                case "cancel" -> {
                    schedules.notices().cancel(n.id());
                    web.flash(ctx, web.texts(ctx).get("page.sched.flash.cancelled"));
                }
                case "duplicate" -> {
                    long copy = schedules.notices().duplicate(n.id());
                    web.audit(ctx, "schedule.notice.duplicate", listId, target, "→ notice " + copy);
                    web.flash(ctx, web.texts(ctx).get("page.sched.flash.duplicated"));
                    ctx.redirect(BASE + "/notices/" + copy);
                    return;
                }
                case "test" -> {
                    testCopy(ctx, user, n, listId);
                    return;
                }
                default -> throw new NotFoundResponse();
            }
            web.audit(ctx, "schedule.notice." + action, listId, target, n.title());
        } catch (IllegalArgumentException | IllegalStateException e) {
            web.flash(ctx, Refusal.message(e, web.texts(ctx)));
        }
        ctx.redirect(BASE + "/notices/" + n.id());
    }

    /** One copy, subject marked as a test, to the address the staff member typed (never to the members). */
    private void testCopy(Context ctx, StaffUser user, Notice n, Long defaultList) {
        Form f = Form.of(ctx, web.texts(ctx), "address", "list");
        String address = Addresses.normalise(f.get("address"));
        long list = ScheduleAccess.id(f.get("list"), defaultList);
        if (!Addresses.isPlausible(address)) {
            web.flash(ctx, web.texts(ctx).get("page.sched.flash.testAddress"));
            ctx.redirect(BASE + "/notices/" + n.id());
            return;
        }
        if (!schedules.notices().listIds(n.id()).contains(list)) {
            throw new NotFoundResponse();
        }
        ctx.sessionAttribute(TEST_ADDRESS, address);
        schedules.notices().sendTestCopy(n.id(), list, address, user.label());
        web.audit(ctx, "schedule.notice.test", list, "notice " + n.id(), "テスト送信 → " + address);
        web.flash(ctx, web.texts(ctx).format("page.sched.flash.testSent", "address", address));
        ctx.redirect(BASE + "/notices/" + n.id());
    }

    private void form(Context ctx, StaffUser user, Notice n, Form f, String error) {
        if (error != null) {
            ctx.status(HttpStatus.BAD_REQUEST);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("notice", n);
        p.put("form", f);
        p.put("error", error == null ? "" : error);
        p.put("lists", access.allowedLists(user));
        p.put("policies", List.of(HolidayPolicy.values()));
        view.show(ctx, n == null ? view.t(ctx, "page.sched.title.newNotice")
                : view.t(ctx, "page.sched.title.editNotice", "title", n.title()), "schedules/notice-form.jte", p);
    }
}
