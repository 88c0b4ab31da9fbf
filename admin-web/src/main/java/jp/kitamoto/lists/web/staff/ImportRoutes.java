package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;
import jp.kitamoto.lists.web.auth.StaffUser;
import jp.kitamoto.lists.web.csv.ImportPlan;
import jp.kitamoto.lists.web.csv.MemberImport;
import jp.kitamoto.lists.text.Refusal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** CSV import of members: upload, dry run with a reason per row, then commit with a progress page. */
public final class ImportRoutes implements WebModule {
    private final StaffAccess access;
    private final MemberImport imports;

    public ImportRoutes(StaffAccess access, MemberImport imports) {
        this.access = access;
        this.imports = imports;
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/lists/{id}/import", ctx -> {
            MailingList list = access.managed(web, ctx);
            web.render(ctx, "staff/import.jte", Map.of("page", web.page(ctx, web.texts(ctx).format("page.staff.import.title", "list", list.displayName())),
                    "list", list, "error", ""));
        });
        r.post("/staff/lists/{id}/import", ctx -> {
            MailingList list = access.managed(web, ctx);
            StaffUser user = web.requireStaff(ctx);
            UploadedFile file = ctx.uploadedFile("file");
            String error = "";
            ImportPlan plan = null;
            if (file == null || file.size() == 0) {
                error = web.texts(ctx).get("page.staff.import.chooseFile");
            } else {
                byte[] bytes;
                try (InputStream in = file.content()) {
                    bytes = in.readAllBytes();
                } catch (IOException e) {
                    bytes = new byte[0];
                }
                try {
                    plan = imports.dryRun(list.id(), user.id(), file.filename(), bytes);
                } catch (IllegalArgumentException e) {
                    error = Refusal.message(e, web.texts(ctx));
                }
            }
            if (plan == null) {
                ctx.status(HttpStatus.BAD_REQUEST);
                web.render(ctx, "staff/import.jte", Map.of("page", web.page(ctx, web.texts(ctx).format("page.staff.import.title", "list", list.displayName())),
                        "list", list, "error", error));
                return;
            }
            web.audit(ctx, "member.import-dry-run", list.id(), plan.fileName(), plan.rows().size() + " 行");
            ctx.redirect("/staff/lists/" + list.id() + "/import/" + plan.id());
        });
        r.get("/staff/lists/{id}/import/{plan}", ctx -> {
            MailingList list = access.managed(web, ctx);
            ImportPlan plan = plan(web, ctx, list);
            web.render(ctx, "staff/import-plan.jte", Map.of("page", web.page(ctx, web.texts(ctx).format("page.staff.import.planTitle", "list", list.displayName())),
                    "list", list, "plan", plan));
        });
        r.post("/staff/lists/{id}/import/{plan}/commit", ctx -> {
            MailingList list = access.managed(web, ctx);
            ImportPlan plan = plan(web, ctx, list);
            imports.commit(plan, web.requireStaff(ctx).username(), ctx.ip());
            ctx.redirect("/staff/lists/" + list.id() + "/import/" + plan.id());
        });
    }

    /** The plan in the path, only for the staff member who made it and only for this list. */
    private ImportPlan plan(WebSupport web, io.javalin.http.Context ctx, MailingList list) {
        StaffUser user = web.requireStaff(ctx);
        return imports.plan(ctx.pathParam("plan"))
                .filter(p -> p.listId() == list.id() && p.staffId() == user.id())
                .orElseThrow(NotFoundResponse::new);
    }
}
