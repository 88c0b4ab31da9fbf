package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.web.WebModule;
import jp.kitamoto.lists.web.WebSupport;
import jp.kitamoto.lists.web.auth.StaffUser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Creating lists (admins), editing their settings and closing them (admins and the list's owners). */
public final class ListRoutes implements WebModule {

    /** The values of the settings form, as typed (kept when the form is shown again with an error). */
    public record ListForm(String localPart, String displayName, String description, String category, String kind,
                           String policy, String archive, String subjectTag, String footer, String owners,
                           String output, String signedFooter) {
        static ListForm of(MailingList l) {
            return new ListForm(l.localPart(), l.displayName(), l.description(), l.category().name(), l.kind().name(),
                    l.policy().name(), l.archiveVisibility().name(), l.subjectTag(), l.footer(), "",
                    l.outputCharset().name(), l.signedFooter().name());
        }

        static ListForm from(Context ctx) {
            return new ListForm(f(ctx, "localPart").toLowerCase(java.util.Locale.ROOT), f(ctx, "displayName"),
                    f(ctx, "description"), f(ctx, "category"), f(ctx, "kind"), f(ctx, "policy"), f(ctx, "archive"),
                    f(ctx, "subjectTag"), Optional.ofNullable(ctx.formParam("footer")).orElse(""), f(ctx, "owners"),
                    f(ctx, "output"), f(ctx, "signedFooter"));
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
                    SignedFooter.OMIT.name()), "");
        });
        r.post("/staff/lists", ctx -> {
            web.require(ctx, web.requireStaff(ctx).isAdmin());
            ListForm form = ListForm.from(ctx);
            String error = validate(form, true);
            if (error.isEmpty() && web.deps().lists().byLocalPart(form.localPart()).isPresent()) {
                error = "このアドレス名はすでに使われています。";
            }
            List<String> owners = new ArrayList<>();
            for (String o : form.owners().split("[,、\\s]+")) {
                String a = Addresses.normalise(o);
                if (a.isEmpty()) {
                    continue;
                }
                if (!Addresses.isPlausible(a)) {
                    error = "管理者のメールアドレスが正しくありません: " + o;
                }
                owners.add(a);
            }
            if (!error.isEmpty()) {
                ctx.status(HttpStatus.BAD_REQUEST);
                show(web, ctx, null, form, error);
                return;
            }
            MailingList created = web.deps().lists().create(form.localPart(), form.displayName(), form.description(),
                    PurposeCategory.valueOf(form.category()), ListKind.valueOf(form.kind()),
                    ListPolicy.valueOf(form.policy()), ArchiveVisibility.valueOf(form.archive()), form.subjectTag(),
                    form.footer(), owners);
            if (created.outputCharset() != OutputCharset.valueOf(form.output())
                    || created.signedFooter() != SignedFooter.valueOf(form.signedFooter())) {
                web.deps().lists().update(withMailSettings(created, form));
                created = web.deps().lists().byId(created.id()).orElseThrow();
            }
            web.audit(ctx, "list.create", created.id(), created.localPart(), created.displayName());
            web.flash(ctx, "リスト「" + created.displayName() + "」を作成しました。");
            ctx.redirect("/staff/lists/" + created.id());
        });
        r.get("/staff/lists/{id}", ctx -> {
            MailingList list = managed(web, ctx);
            show(web, ctx, list, ListForm.of(list), "");
        });
        r.post("/staff/lists/{id}", ctx -> {
            MailingList list = managed(web, ctx);
            ListForm form = ListForm.from(ctx);
            String error = validate(form, false);
            if (!error.isEmpty()) {
                ctx.status(HttpStatus.BAD_REQUEST);
                show(web, ctx, list, form, error);
                return;
            }
            MailingList changed = new MailingList(list.id(), list.localPart(), form.displayName(), form.description(),
                    PurposeCategory.valueOf(form.category()), ListKind.valueOf(form.kind()),
                    ListPolicy.valueOf(form.policy()), ArchiveVisibility.valueOf(form.archive()), form.subjectTag(),
                    form.footer(), OutputCharset.valueOf(form.output()), SignedFooter.valueOf(form.signedFooter()),
                    list.fromRewrite(),
                    list.maxMessageBytes(), list.nextSequence(), list.state(), list.createdAt(), list.updatedAt());
            web.deps().lists().update(changed);
            web.audit(ctx, "list.update", list.id(), list.localPart(), diff(list, changed));
            web.flash(ctx, "設定を保存しました。");
            ctx.redirect("/staff/lists/" + list.id());
        });
        r.post("/staff/lists/{id}/state", ctx -> {
            MailingList list = managed(web, ctx);
            ListState target = "open".equals(ctx.formParam("to")) ? ListState.OPEN : ListState.CLOSED;
            MailingList changed = new MailingList(list.id(), list.localPart(), list.displayName(), list.description(),
                    list.category(), list.kind(), list.policy(), list.archiveVisibility(), list.subjectTag(),
                    list.footer(), list.outputCharset(), list.signedFooter(), list.fromRewrite(), list.maxMessageBytes(),
                    list.nextSequence(), target, list.createdAt(), list.updatedAt());
            web.deps().lists().update(changed);
            web.audit(ctx, target == ListState.CLOSED ? "list.close" : "list.reopen", list.id(), list.localPart(), "");
            web.flash(ctx, target == ListState.CLOSED ? "リストを終了しました。" : "リストを再開しました。");
            ctx.redirect("/staff/lists/" + list.id());
        });
    }

    /** The list in the path, if the signed-in staff member may manage it (else 404 / 403). */
    static MailingList managed(WebSupport web, Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        MailingList list = listInPath(web, ctx);
        web.require(ctx, user.canManage(list.id()));
        return list;
    }

    /** The list in the path, if the signed-in staff member may handle its held posts. */
    static MailingList moderated(WebSupport web, Context ctx) {
        StaffUser user = web.requireStaff(ctx);
        MailingList list = listInPath(web, ctx);
        web.require(ctx, user.canModerate(list.id()));
        return list;
    }

    private static MailingList listInPath(WebSupport web, Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse();
        }
        return web.deps().lists().byId(id).orElseThrow(NotFoundResponse::new);
    }

    private static MailingList withMailSettings(MailingList l, ListForm form) {
        return new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(), l.kind(),
                l.policy(), l.archiveVisibility(), l.subjectTag(), l.footer(), OutputCharset.valueOf(form.output()),
                SignedFooter.valueOf(form.signedFooter()), l.fromRewrite(), l.maxMessageBytes(), l.nextSequence(), l.state(),
                l.createdAt(), l.updatedAt());
    }

    private static String validate(ListForm f, boolean creating) {
        if (creating && !f.localPart().matches("[a-z0-9][a-z0-9.-]{0,40}")) {
            return "アドレス名は半角の小文字英数字（と . -）で入力してください。";
        }
        if (f.displayName().isEmpty()) {
            return "リスト名を入力してください。";
        }
        if (!f.subjectTag().matches("[A-Za-z0-9._-]{0,32}")) {
            return "件名の見出しは半角英数字で 32 文字までにしてください。";
        }
        try {
            PurposeCategory.valueOf(f.category());
            ListKind.valueOf(f.kind());
            ListPolicy.valueOf(f.policy());
            ArchiveVisibility.valueOf(f.archive());
            OutputCharset.valueOf(f.output());
            SignedFooter.valueOf(f.signedFooter());
        } catch (IllegalArgumentException e) {
            return "選択肢から選んでください。";
        }
        return "";
    }

    private static String diff(MailingList a, MailingList b) {
        List<String> out = new ArrayList<>();
        add(out, "表示名", a.displayName(), b.displayName());
        add(out, "説明", a.description(), b.description());
        add(out, "分野", a.category(), b.category());
        add(out, "種類", a.kind(), b.kind());
        add(out, "方針", a.policy(), b.policy());
        add(out, "アーカイブ", a.archiveVisibility(), b.archiveVisibility());
        add(out, "件名見出し", a.subjectTag(), b.subjectTag());
        add(out, "フッター", a.footer(), b.footer());
        add(out, "文字コード", a.outputCharset(), b.outputCharset());
        add(out, "署名付きメールのフッター", a.signedFooter(), b.signedFooter());
        return out.isEmpty() ? "変更なし" : String.join("; ", out);
    }

    private static void add(List<String> out, String label, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(label + ": " + before + " → " + after);
        }
    }

    private static void show(WebSupport web, Context ctx, MailingList list, ListForm form, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("page", web.page(ctx, list == null ? "新しいリスト" : "リストの設定: " + list.displayName()));
        p.put("list", list);
        p.put("form", form);
        p.put("error", error);
        p.put("categories", Arrays.asList(PurposeCategory.values()));
        p.put("kinds", Arrays.asList(ListKind.values()));
        p.put("policies", Arrays.asList(ListPolicy.values()));
        p.put("visibilities", Arrays.asList(ArchiveVisibility.values()));
        p.put("outputs", Arrays.asList(OutputCharset.values()));
        p.put("signedFooters", Arrays.asList(SignedFooter.values()));
        p.put("owners", list == null ? List.of() : web.deps().lists().owners(list.id()));
        web.render(ctx, "staff/list.jte", p);
    }
}
