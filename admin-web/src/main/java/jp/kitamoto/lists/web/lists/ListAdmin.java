package jp.kitamoto.lists.web.lists;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Creating lists, changing their settings and closing or reopening them, through {@link ListService}, audited. */
public final class ListAdmin {
    private final ListService lists;
    private final AuditLog audit;

    public ListAdmin(ListService lists, AuditLog audit) {
        this.lists = lists;
        this.audit = audit;
    }

    /** The settings of a new list, already parsed and checked for form. */
    public record NewList(String localPart, String displayName, String description, PurposeCategory category,
                          ListKind kind, ListPolicy policy, ArchiveVisibility archive, String subjectTag,
                          String footer, OutputCharset output, SignedFooter signedFooter, FromRewrite fromRewrite,
                          List<String> owners) {
    }

    /** Thrown when a new list's local part is already a list's. */
    public static final class LocalPartTakenException extends RuntimeException {
        public LocalPartTakenException(String localPart) {
            super("list address already in use: " + localPart);
        }
    }

    public MailingList create(NewList n, Actor actor) {
        if (lists.byLocalPart(n.localPart()).isPresent()) {
            throw new LocalPartTakenException(n.localPart());
        }
        MailingList created = lists.create(n.localPart(), n.displayName(), n.description(), n.category(), n.kind(),
                n.policy(), n.archive(), n.subjectTag(), n.footer(), n.owners());
        // ListService creates with the defaults of the kind; the mail settings are a second step when they differ.
        if (created.outputCharset() != n.output() || created.signedFooter() != n.signedFooter()
                || created.fromRewrite() != n.fromRewrite()) {
            lists.update(withMailSettings(created, n.output(), n.signedFooter(), n.fromRewrite()));
            created = lists.byId(created.id()).orElseThrow();
        }
        audit.record(actor, "list.create", created.id(), created.localPart(), created.displayName());
        return created;
    }

    /** Saves changed settings; the audit entry says what changed. */
    public void update(MailingList before, MailingList changed, Actor actor) {
        lists.update(changed);
        audit.record(actor, "list.update", before.id(), before.localPart(), diff(before, changed));
    }

    /** Closes (no more mail accepted or sent) or reopens a list. */
    public void setState(MailingList list, ListState target, Actor actor) {
        lists.update(new MailingList(list.id(), list.localPart(), list.displayName(), list.description(),
                list.category(), list.kind(), list.policy(), list.archiveVisibility(), list.subjectTag(),
                list.footer(), list.outputCharset(), list.signedFooter(), list.fromRewrite(), list.maxMessageBytes(),
                list.nextSequence(), target, list.createdAt(), list.updatedAt()));
        audit.record(actor, target == ListState.CLOSED ? "list.close" : "list.reopen", list.id(), list.localPart(),
                "");
    }

    private static MailingList withMailSettings(MailingList l, OutputCharset output, SignedFooter signedFooter,
                                                FromRewrite fromRewrite) {
        return new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(), l.kind(),
                l.policy(), l.archiveVisibility(), l.subjectTag(), l.footer(), output, signedFooter, fromRewrite,
                l.maxMessageBytes(), l.nextSequence(), l.state(), l.createdAt(), l.updatedAt());
    }

    static String diff(MailingList a, MailingList b) {
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
        add(out, "差出人の書き換え", a.fromRewrite(), b.fromRewrite());
        return out.isEmpty() ? "変更なし" : String.join("; ", out);
    }

    private static void add(List<String> out, String label, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(label + ": " + before + " → " + after);
        }
    }
}
