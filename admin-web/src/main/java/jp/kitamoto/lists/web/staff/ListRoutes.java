package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.lists.DigestAdmin;
import jp.kitamoto.lists.web.lists.ListAdmin;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating lists (admins), editing their settings and closing them (admins and the list's owners). */
public final class ListRoutes implements WebModule {
    private final StaffAccess access;
    private final ListService lists;
    private final ListAdmin admin;
    private final DigestAdmin digests;

    public ListRoutes(StaffAccess access, ListService lists, ListAdmin admin, DigestAdmin digests) {
        this.access = access;
        this.lists = lists;
        this.admin = admin;
        this.digests = digests;
    }

    /** The values of the settings form, as typed (kept when the form is shown again with an error). */
    public record ListForm(String localPart, String displayName, String description, String category, String kind,
                           String policy, String archive, String subjectTag, String footer, String owners,
                           String output, String signedFooter, String fromRewrite) {
        static ListForm of(MailingList l) {
            return new ListForm(l.localPart(), l.displayName(), l.description(), l.category().name(), l.kind().name(),
                    l.policy().name(), l.archiveVisibility().name(), l.subjectTag(), l.footer(), "",
                    l.outputCharset().name(), l.signedFooter().name(), l.fromRewrite().name());
        }

        static ListForm from(Context ctx) {
            return new ListForm(f(ctx, "localPart").toLowerCase(java.util.Locale.ROOT), f(ctx, "displayName"),
                    f(ctx, "description"), f(ctx, "category"), f(ctx, "kind"), f(ctx, "policy"), f(ctx, "archive"),
                    f(ctx, "subjectTag"), Optional.ofNullable(ctx.formParam("footer")).orElse(""), f(ctx, "owners"),
                    f(ctx, "output"), f(ctx, "signedFooter"), f(ctx, "fromRewrite"));
        }

        private static String f(Context ctx, String name) {
            return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
        }
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/lists/new", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            show(web, ctx, null, new ListForm("", "", "", PurposeCategory.GENERAL.name(), ListKind.PURPOSE.name(),
                    ListPolicy.DISCUSSION.name(), ArchiveVisibility.PUBLIC.name(), "", "", "", OutputCharset.KEEP.name(),
                    SignedFooter.OMIT.name(), FromRewrite.ALWAYS.name()), "");
        });
        r.post("/staff/lists", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            ListForm form = ListForm.from(ctx);
            String error = validate(web.texts(ctx), form, true);
            List<String> owners = new ArrayList<>();
            for (String o : form.owners().split("[,、\\s]+")) {
                String a = Addresses.normalise(o);
                if (a.isEmpty()) {
                    continue;
                }
                if (!Addresses.isPlausible(a)) {
                    error = web.texts(ctx).format("page.staff.list.badOwner", "address", o);
                }
                owners.add(a);
            }
            MailingList created = null;
            if (error.isEmpty()) {
                try {
                    created = admin.create(new ListAdmin.NewList(form.localPart(), form.displayName(),
                            form.description(), PurposeCategory.valueOf(form.category()), ListKind.valueOf(form.kind()),
                            ListPolicy.valueOf(form.policy()), ArchiveVisibility.valueOf(form.archive()),
                            form.subjectTag(), form.footer(), OutputCharset.valueOf(form.output()),
                            SignedFooter.valueOf(form.signedFooter()), FromRewrite.valueOf(form.fromRewrite()), owners),
                            StaffAccess.actor(web, ctx));
                } catch (ListAdmin.LocalPartTakenException e) {
                    error = web.texts(ctx).get("page.staff.list.taken");
                }
            }
            if (created == null) {
                ctx.status(HttpStatus.BAD_REQUEST);
                show(web, ctx, null, form, error);
                return;
            }
            web.flash(ctx, web.texts(ctx).format("page.staff.list.created", "list", created.displayName()));
            ctx.redirect("/staff/lists/" + created.id());
        });
        r.get("/staff/lists/{id}", ctx -> {
            MailingList list = access.managed(web, ctx);
            show(web, ctx, list, ListForm.of(list), "");
        });
        r.post("/staff/lists/{id}", ctx -> {
            MailingList list = access.managed(web, ctx);
            ListForm form = ListForm.from(ctx);
            String error = validate(web.texts(ctx), form, false);
            if (!error.isEmpty()) {
                ctx.status(HttpStatus.BAD_REQUEST);
                show(web, ctx, list, form, error);
                return;
            }
            MailingList changed = new MailingList(list.id(), list.localPart(), form.displayName(), form.description(),
                    PurposeCategory.valueOf(form.category()), ListKind.valueOf(form.kind()),
                    ListPolicy.valueOf(form.policy()), ArchiveVisibility.valueOf(form.archive()), form.subjectTag(),
                    form.footer(), OutputCharset.valueOf(form.output()), SignedFooter.valueOf(form.signedFooter()),
                    FromRewrite.valueOf(form.fromRewrite()),
                    list.maxMessageBytes(), list.nextSequence(), list.state(), list.createdAt(), list.updatedAt());
            admin.update(list, changed, StaffAccess.actor(web, ctx));
            web.flash(ctx, web.texts(ctx).get("page.staff.list.saved"));
            ctx.redirect("/staff/lists/" + list.id());
        });
        r.post("/staff/lists/{id}/state", ctx -> {
            MailingList list = access.managed(web, ctx);
            ListState target = "open".equals(ctx.formParam("to")) ? ListState.OPEN : ListState.CLOSED;
            admin.setState(list, target, StaffAccess.actor(web, ctx));
            web.flash(ctx, web.texts(ctx).get(target == ListState.CLOSED ? "page.staff.list.closedFlash" : "page.staff.list.reopenedFlash"));
            ctx.redirect("/staff/lists/" + list.id());
        });
        r.post("/staff/lists/{id}/digests", ctx -> {
            MailingList list = access.managed(web, ctx);
            DigestAdmin.DigestForm typed = new DigestAdmin.DigestForm("on".equals(ctx.formParam("daily")),
                    Optional.ofNullable(ctx.formParam("dailyTime")).orElse(""), "on".equals(ctx.formParam("weekly")),
                    Optional.ofNullable(ctx.formParam("weeklyDay")).orElse(""),
                    Optional.ofNullable(ctx.formParam("weeklyTime")).orElse(""), digests.form(list.id()).chosen());
            try {
                digests.save(list, typed, StaffAccess.actor(web, ctx));
            } catch (DigestAdmin.InvalidDigestForm e) {
                ctx.status(HttpStatus.BAD_REQUEST);
                show(web, ctx, list, ListForm.of(list), "", typed, web.texts(ctx).get(e.textKey()));
                return;
            }
            web.flash(ctx, web.texts(ctx).get("page.digest.saved"));
            ctx.redirect("/staff/lists/" + list.id() + "#digests");
        });
    }

    private static String validate(jp.kitamoto.lists.text.Texts t, ListForm f, boolean creating) {
        if (creating && !f.localPart().matches("[a-z0-9][a-z0-9.-]{0,40}")) {
            return t.get("page.staff.list.badLocalPart");
        }
        if (f.displayName().isEmpty()) {
            return t.get("page.staff.list.noName");
        }
        if (!f.subjectTag().matches("[A-Za-z0-9._-]{0,32}")) {
            return t.get("page.staff.list.badTag");
        }
        try {
            PurposeCategory.valueOf(f.category());
            ListKind.valueOf(f.kind());
            ListPolicy.valueOf(f.policy());
            ArchiveVisibility.valueOf(f.archive());
            OutputCharset.valueOf(f.output());
            SignedFooter.valueOf(f.signedFooter());
            FromRewrite.valueOf(f.fromRewrite());
        } catch (IllegalArgumentException e) {
            return t.get("page.staff.list.choose");
        }
        return "";
    }

    private void show(WebSupport web, Context ctx, MailingList list, ListForm form, String error) {
        show(web, ctx, list, form, error, list == null ? null : digests.form(list.id()), "");
    }

    private void show(WebSupport web, Context ctx, MailingList list, ListForm form, String error,
                      DigestAdmin.DigestForm digestForm, String digestError) {
        Map<String, Object> p = new HashMap<>();
        p.put("digests", digestForm);
        p.put("digestError", digestError);
        p.put("page", web.page(ctx, list == null ? web.texts(ctx).get("page.staff.list.newTitle")
                : web.texts(ctx).format("page.staff.list.title", "list", list.displayName())));
        p.put("list", list);
        p.put("form", form);
        p.put("error", error);
        p.put("categories", Arrays.asList(PurposeCategory.values()));
        p.put("kinds", Arrays.asList(ListKind.values()));
        p.put("policies", Arrays.asList(ListPolicy.values()));
        p.put("visibilities", Arrays.asList(ArchiveVisibility.values()));
        p.put("outputs", Arrays.asList(OutputCharset.values()));
        p.put("signedFooters", Arrays.asList(SignedFooter.values()));
        p.put("fromRewrites", Arrays.asList(FromRewrite.values()));
        p.put("owners", list == null ? List.of() : lists.owners(list.id()));
        web.render(ctx, "staff/list.jte", p);
    }
}
