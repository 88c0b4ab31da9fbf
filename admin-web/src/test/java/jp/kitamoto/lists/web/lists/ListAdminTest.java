package jp.kitamoto.lists.web.lists;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.web.audit.Actor;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.AuditMapper.AuditEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lists created and changed through the service, on a real SQLite file. */
class ListAdminTest {
    @TempDir
    static Path dir;
    static Database db;
    static ListService lists;
    static AuditLog audit;
    static ListAdmin admin;
    static final Actor STAFF = new Actor("admin", "192.0.2.1");

    @BeforeAll
    static void open() {
        db = TestDatabases.freshSqlite(dir);
        db.addMappers(AuditMapper.class);
        MovableClock clock = new MovableClock();
        lists = new ListService(db, clock);
        audit = new AuditLog(db, clock);
        admin = new ListAdmin(lists, audit);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static ListAdmin.NewList draft(String localPart, OutputCharset output) {
        return new ListAdmin.NewList(localPart, "子育て支援", "説明", PurposeCategory.GENERAL, ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "kosodate", "", output, SignedFooter.OMIT,
                jp.kitamoto.lists.domain.FromRewrite.NEVER,
                List.of("owner@example.jp"));
    }

    @Test
    void aNewListGetsItsMailSettingsAndAnAuditEntry() {
        MailingList created = admin.create(draft("kosodate", OutputCharset.ISO_2022_JP), STAFF);

        assertThat(lists.byId(created.id())).get().extracting(MailingList::outputCharset)
                .isEqualTo(OutputCharset.ISO_2022_JP);
        assertThat(lists.byId(created.id())).get().extracting(MailingList::fromRewrite)
                .isEqualTo(jp.kitamoto.lists.domain.FromRewrite.NEVER);
        assertThat(lists.owners(created.id())).hasSize(1);
        assertThat(audit.page(List.of(created.id()), 0, 10)).extracting(AuditEntry::action, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("list.create", "admin"));
    }

    @Test
    void aLocalPartInUseIsRefused() {
        admin.create(draft("taken", OutputCharset.KEEP), STAFF);
        assertThatThrownBy(() -> admin.create(draft("taken", OutputCharset.KEEP), STAFF))
                .isInstanceOf(ListAdmin.LocalPartTakenException.class);
    }

    @Test
    void changesAndClosingAreAuditedWithWhatChanged() {
        MailingList list = admin.create(draft("change", OutputCharset.KEEP), STAFF);
        MailingList renamed = new MailingList(list.id(), list.localPart(), "新しい名前", list.description(),
                list.category(), list.kind(), list.policy(), list.archiveVisibility(), list.subjectTag(),
                list.footer(), list.outputCharset(), list.signedFooter(), list.fromRewrite(), list.maxMessageBytes(),
                list.nextSequence(), list.state(), list.createdAt(), list.updatedAt());

        admin.update(list, renamed, STAFF);
        admin.setState(lists.byId(list.id()).orElseThrow(), ListState.CLOSED, STAFF);

        assertThat(lists.byId(list.id())).get().extracting(MailingList::displayName, MailingList::state)
                .containsExactly("新しい名前", ListState.CLOSED);
        assertThat(audit.page(List.of(list.id()), 0, 10)).extracting(AuditEntry::action, AuditEntry::detail)
                .startsWith(org.assertj.core.groups.Tuple.tuple("list.close", ""),
                        org.assertj.core.groups.Tuple.tuple("list.update", "表示名: 子育て支援 → 新しい名前"));
    }
}
