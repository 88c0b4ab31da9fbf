package jp.kitamoto.lists.web.staff;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.Optional;

/** Which list in the path a signed-in staff member may handle (else 404 / 403), shared by the staff pages. */
public final class StaffAccess {
    private final ListService lists;

    public StaffAccess(ListService lists) {
        this.lists = lists;
    }

    /** The list in the path, if the signed-in staff member may manage it (else 404 / 403). */
    MailingList managed(WebSupport web, Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        MailingList list = listInPath(ctx);
        web.require(ctx, user.canManage(list.id()));
        return list;
    }

    /** The list in the path, if the signed-in staff member may handle its held posts. */
    MailingList moderated(WebSupport web, Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        MailingList list = listInPath(ctx);
        web.require(ctx, user.canModerate(list.id()));
        return list;
    }

    private MailingList listInPath(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        return lists.byId(id).orElseThrow(NotFoundResponse::new);
    }

    /** The signed-in staff member as the audit log names them, with the client address. */
    static Actor actor(WebSupport web, Context ctx) {
        return new Actor(web.requireStaff(ctx).username(), ctx.ip());
    }

    static int pageParam(Context ctx) {
        try {
            return Math.max(0, Integer.parseInt(Optional.ofNullable(ctx.queryParam("page")).orElse("0")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
