package jp.kitamoto.lists.schedules.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.schedules.service.CallService;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.text.Refusal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static jp.kitamoto.lists.schedules.web.SchedulePages.BASE;

/** The calls (募集): the list, register one with its reminders, its page, move the deadline, cancel. */
final class CallPages {
    private final Schedules schedules;
    private final WebSupport web;
    private final ScheduleAccess access;
    private final ScheduleView view;

    CallPages(Schedules schedules, WebSupport web, ScheduleAccess access, ScheduleView view) {
        this.schedules = schedules;
        this.web = web;
        this.access = access;
        this.view = view;
    }

    void register(RoutesConfig r) {
        r.get(BASE + "/calls", ctx -> {
            StaffUser user = access.staff(ctx);
            List<Call> calls = schedules.calls().all().stream()
                    .filter(c -> ScheduleAccess.canHandle(user, schedules.calls().listIds(c.id()))).toList();
            view.show(ctx, view.t(ctx, "page.sched.nav.calls"), "schedules/calls.jte", Map.of("calls", calls));
        });
        r.get(BASE + "/calls/new", ctx -> form(ctx, access.staff(ctx), CallForms.blank(), null));
        r.post(BASE + "/calls", this::create);
        r.get(BASE + "/calls/{id}", this::page);
        r.post(BASE + "/calls/{id}/deadline", this::moveDeadline);
        r.post(BASE + "/calls/{id}/cancel", this::cancel);
    }

    private void create(Context ctx) {
        StaffUser user = access.staff(ctx);
        Form f = Form.of(ctx, web.texts(ctx), CallForms.FIELDS);
        CallService.CallDraft d;
        try {
            d = CallForms.draft(f, user, schedules.timing().now());
        } catch (IllegalArgumentException e) {
            form(ctx, user, f, Refusal.message(e, web.texts(ctx)));
            return;
        }
        access.requireLists(ctx, user, d.listIds());
        long id = schedules.calls().create(d);
        web.audit(ctx, "schedule.call.create", ScheduleAccess.first(d.listIds()), "call " + id, d.title() + " 締切 "
                + JapaneseDates.withTime(d.deadlineAt()) + " リマインダー " + d.reminderOffsets());
        web.flash(ctx, web.texts(ctx).get("page.sched.flash.callCreated"));
        ctx.redirect(BASE + "/calls/" + id);
    }

    private void page(Context ctx) {
        StaffUser user = access.staff(ctx);
        Call call = access.call(ctx, user);
        LocalDateTime deadline = ScheduleService.local(Instant.ofEpochMilli(call.deadlineAt()));
        view.show(ctx, view.t(ctx, "page.sched.title.call", "title", call.title()), "schedules/call.jte", Map.of("call", call,
                "rows", schedules.calls().notices(call.id()),
                "lists", view.lists(schedules.calls().listIds(call.id())),
                "deadlineDate", deadline.toLocalDate().toString(),
                "deadlineTime", deadline.toLocalTime().toString()));
    }

    private void moveDeadline(Context ctx) {
        StaffUser user = access.staff(ctx);
        Call call = access.call(ctx, user);
        Form f = Form.of(ctx, web.texts(ctx), "deadlineDate", "deadlineTime");
        try {
            Instant at = CallForms.deadline(f, Instant.ofEpochMilli(call.opensAt()));
            schedules.calls().moveDeadline(call.id(), at);
            web.audit(ctx, "schedule.call.deadline", ScheduleAccess.first(schedules.calls().listIds(call.id())),
                    "call " + call.id(), JapaneseDates.withTime(call.deadlineAt()) + " → " + JapaneseDates.withTime(at));
            web.flash(ctx, web.texts(ctx).format("page.sched.flash.deadlineMoved", "deadline",
                    JapaneseDates.withTime(at, web.texts(ctx))));
        } catch (IllegalArgumentException | IllegalStateException e) {
            web.flash(ctx, web.texts(ctx).format("page.sched.flash.deadlineNotMoved", "reason", Refusal.message(e, web.texts(ctx))));
        }
        ctx.redirect(BASE + "/calls/" + call.id());
    }

    private void cancel(Context ctx) {
        StaffUser user = access.staff(ctx);
        Call call = access.call(ctx, user);
        boolean notify = "on".equals(ctx.formParam("notify"));
        try {
            Optional<Long> notice = schedules.calls().cancel(call.id(), notify);
            web.audit(ctx, "schedule.call.cancel", ScheduleAccess.first(schedules.calls().listIds(call.id())),
                    "call " + call.id(), call.title() + (notify ? "（中止のお知らせを送信: notice "
                            + notice.orElse(null) + "）" : "（お知らせなし）"));
            web.flash(ctx, web.texts(ctx).get("page.sched.flash.callCancelled") + (notify ? web.texts(ctx).get("page.sched.flash.cancelNotice") : ""));
        } catch (IllegalStateException e) {
            web.flash(ctx, Refusal.message(e, web.texts(ctx)));
        }
        ctx.redirect(BASE + "/calls/" + call.id());
    }

    private void form(Context ctx, StaffUser user, Form f, String error) {
        if (error != null) {
            ctx.status(HttpStatus.BAD_REQUEST);
        }
        view.show(ctx, view.t(ctx, "page.sched.title.newCall"), "schedules/call-form.jte", Map.of("form", f, "error", error == null ? "" : error,
                "lists", access.allowedLists(user)));
    }
}
