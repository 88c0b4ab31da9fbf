package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mail.pipeline.Pipeline;
import jp.kitamoto.lists.mail.posting.DistributionService;
import jp.kitamoto.lists.mail.posting.ModerationService;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.PostQueries;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.auth.StaffAccounts;
import jp.kitamoto.lists.web.csv.MemberExport;
import jp.kitamoto.lists.web.csv.MemberImport;
import jp.kitamoto.lists.web.members.MemberAdmin;
import jp.kitamoto.lists.web.posts.PostReview;
import jp.kitamoto.lists.web.store.ArchiveMapper;
import jp.kitamoto.lists.web.store.AuditMapper;
import jp.kitamoto.lists.web.store.ConfirmationMapper;
import jp.kitamoto.lists.web.store.RosterMapper;
import jp.kitamoto.lists.web.store.StaffMapper;

import java.time.Clock;

/**
 * The services a command uses, over the same database as the server (SQLite in WAL mode lets both write; PostgreSQL
 * anyway): the very classes behind the staff pages, so a change from the command line is checked and audited as one
 * from the web. Nothing here writes through a mapper.
 *
 * <p>Held posts are approved through the mail server's {@link ModerationService} with a distribution whose "wake the
 * delivery workers" does nothing: the workers live in the server process, and they find the new delivery rows on
 * their next poll ({@code delivery.poll-millis}).
 */
public final class Ops implements AutoCloseable {
    public final Settings settings;
    public final Clock clock;
    public final Database db;
    public final ListService lists;
    public final MembershipService memberships;
    public final AuditLog audit;
    public final MemberAdmin members;
    public final MemberImport imports;
    public final MemberExport exports;
    public final PostQueries posts;
    public final PostReview review;
    public final StaffAccounts staff;
    public final QueueStatus queue;

    private Ops(Settings settings, Clock clock, Database db) {
        this.settings = settings;
        this.clock = clock;
        this.db = db;
        // The admin-web mappers, registered as AdminWeb.start registers them.
        db.addMappers(StaffMapper.class, AuditMapper.class, ConfirmationMapper.class, RosterMapper.class,
                ArchiveMapper.class, QueueStatus.Mapper.class);
        this.lists = new ListService(db, clock);
        this.memberships = new MembershipService(db, clock);
        this.audit = new AuditLog(db, clock);
        this.members = new MemberAdmin(db, memberships, audit);
        this.imports = new MemberImport(db, clock, memberships, audit);
        this.exports = new MemberExport(members);
        this.posts = new PostQueries(db);
        // No dispatcher in this process: on PostgreSQL an approval notifies the running servers (LISTEN/NOTIFY), which
        // start its delivery at once; on SQLite they find the rows at their next poll.
        DistributionService distribution = new DistributionService(settings, clock, Pipeline.standard(),
                jp.kitamoto.lists.mail.delivery.DeliveryWakeups.forDatabase(db, settings, () -> {
                })::rowsCommitted);
        this.review = new PostReview(db, posts, new ModerationService(db, settings, clock, distribution), audit);
        this.staff = new StaffAccounts(db, clock);
        this.queue = new QueueStatus(db, clock);
    }

    static Ops open(Settings settings, Clock clock) {
        // Opening a missing SQLite file would create an empty database without the seed lists, here or in a
        // mistyped data-dir; say so instead.
        jp.kitamoto.lists.app.ops.Backups.sqliteFile(settings).filter(f -> !java.nio.file.Files.isRegularFile(f))
                .ifPresent(f -> {
                    throw new CliFailure("there is no database at " + f.toAbsolutePath()
                            + " (check server.data-dir, or start the server once to create it)");
                });
        return new Ops(settings, clock, Database.open(settings));
    }

    /** The list with this local part ({@code bunka}) or address ({@code bunka@ml...}), else a failure naming it. */
    public MailingList list(String name) {
        String localPart = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
        return lists.byLocalPart(localPart).orElseThrow(() -> new CliFailure("no list named " + name
                + " (see: kitamoto-lists lists)"));
    }

    @Override
    public void close() {
        imports.close();
        db.close();
    }
}
