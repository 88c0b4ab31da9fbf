package jp.kitamoto.lists.schedules.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.schedules.Schedules;
import jp.kitamoto.lists.schedules.model.Call;
import jp.kitamoto.lists.schedules.model.HistoryEntry;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffRole;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.http.Halt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may use the schedule pages: administrators everything; list owners (リスト管理者) only notices and calls whose
 * target lists are all lists assigned to them; moderators nothing (they handle held posts only). Also finds the
 * notice or call a path names, answering 404 or 403 for one the user may not see, and filters the history.
 */
final class ScheduleAccess {
    private final Schedules schedules;
    private final WebSupport web;

    ScheduleAccess(Schedules schedules, WebSupport web) {
        this.schedules = schedules;
        this.web = web;
    }

    /** The signed-in staff member, who is not a moderator. */
    StaffUser staff(Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        if (user.role() == StaffRole.MODERATOR) {
            web.errorPage(ctx, HttpStatus.FORBIDDEN, web.texts(ctx).get("page.sched.forbidden"));
            throw new Halt();
        }
        return user;
    }

    /** Admins: any lists; owners: only when every target list is one of theirs. */
    static boolean canHandle(StaffUser user, List<Long> listIds) {
        if (user.isAdmin()) {
            return true;
        }
        return user.role() == StaffRole.OWNER && !listIds.isEmpty() && listIds.stream().allMatch(user::canManage);
    }

    boolean canHandleNotice(StaffUser user, long noticeId) {
        return canHandle(user, schedules.notices().listIds(noticeId));
    }

    /** Ends the request with 403 unless the user may handle these target lists. */
    void requireLists(Context ctx, StaffUser user, List<Long> listIds) {
        web.require(ctx, canHandle(user, listIds));
    }

    /** The notice of the {@code {id}} path parameter. */
    Notice notice(Context ctx, StaffUser user) {
        long id = id(ctx.pathParam("id"), null);
        Notice n = schedules.notices().find(id).orElseThrow(NotFoundResponse::new);
        web.require(ctx, canHandleNotice(user, id));
        return n;
    }

    /** The call of the {@code {id}} path parameter. */
    Call call(Context ctx, StaffUser user) {
        long id = id(ctx.pathParam("id"), null);
        Call c = schedules.calls().find(id).orElseThrow(NotFoundResponse::new);
        web.require(ctx, canHandle(user, schedules.calls().listIds(id)));
        return c;
    }

    /** The latest sends the user may see, of one notice or ({@code noticeId} null) of all, with delivery counts. */
    List<HistoryEntry> history(StaffUser user, Long noticeId) {
        Map<Long, Boolean> allowed = new HashMap<>();
        return schedules.reports().history(noticeId, 300,
                id -> allowed.computeIfAbsent(id, n -> canHandleNotice(user, n)));
    }

    /** The lists this user may send to, for the forms' checkboxes. */
    List<MailingList> allowedLists(StaffUser user) {
        return web.deps().lists().all().stream().filter(l -> user.canManage(l.id())).toList();
    }

    /** A numeric id from the request; {@code fallback} when it is not one, or 404 without a fallback. */
    static long id(String s, Long fallback) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            if (fallback != null) {
                return fallback;
            }
            throw new NotFoundResponse();
        }
    }

    /** The first target list, for the audit log's list column. */
    static Long first(List<Long> ids) {
        return ids.isEmpty() ? null : ids.get(0);
    }
}
