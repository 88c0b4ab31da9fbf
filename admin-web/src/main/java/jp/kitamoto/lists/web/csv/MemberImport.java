package jp.kitamoto.lists.web.csv;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.Member;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.store.SubscriptionMapper;
import jp.kitamoto.lists.text.Refusal;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.csv.ImportPlan.Action;
import jp.kitamoto.lists.web.csv.ImportPlan.Row;
import jp.kitamoto.lists.web.store.ImportPlanMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Member import from CSV: a dry run that reads the file and says, row by row, what would happen; then a commit in
 * the background, in batches, with progress. Columns are found by their header (メールアドレス / 氏名 and English
 * names); a file without a header is read as address, name.
 */
public final class MemberImport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemberImport.class);
    private static final int BATCH = 500;
    private static final long KEEP_PLANS_MS = 3_600_000;
    private static final List<String> ADDRESS_HEADERS = List.of("メールアドレス", "メール", "アドレス", "電子メール",
            "email", "e-mail", "mail", "address", "mailaddress");
    private static final List<String> NAME_HEADERS = List.of("氏名", "名前", "お名前", "表示名", "団体名", "name",
            "displayname", "display name");

    private final Database db;
    private final Clock clock;
    private final MembershipService memberships;
    private final AuditLog audit;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "member-import");
        t.setDaemon(true);
        return t;
    });

    public MemberImport(Database db, Clock clock, MembershipService memberships, AuditLog audit) {
        db.addMappers(ImportPlanMapper.class);
        this.db = db;
        this.clock = clock;
        this.memberships = memberships;
        this.audit = audit;
    }

    /** Reads the file and plans every row; writes nothing. */
    public ImportPlan dryRun(long listId, long staffId, String fileName, byte[] bytes) {
        CsvText.Decoded decoded = CsvText.decode(bytes);
        String text = decoded.text();
        char delimiter = decoded.charsetLabel().equals("UTF-16") || (!text.contains(",") && text.contains("\t"))
                ? '\t' : ',';
        List<CSVRecord> records;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setTrim(true).get().parse(new StringReader(text))) {
            records = parser.getRecords();
        } catch (IOException | RuntimeException e) {
            throw Refusal.input("page.staff.import.unreadable", "error", String.valueOf(e.getMessage()));
        }
        int addressCol = 0;
        int nameCol = 1;
        int first = 0;
        if (!records.isEmpty()) {
            CSVRecord head = records.get(0);
            int a = findColumn(head, ADDRESS_HEADERS);
            if (a >= 0) {
                addressCol = a;
                nameCol = findColumn(head, NAME_HEADERS);
                first = 1;
            }
        }
        List<Row> rows = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        final int ac = addressCol;
        final int nc = nameCol;
        List<CSVRecord> body = records.subList(first, records.size());
        db.read(s -> {
            SubscriptionMapper subs = s.getMapper(SubscriptionMapper.class);
            MemberMapper members = s.getMapper(MemberMapper.class);
            for (CSVRecord rec : body) {
                long line = rec.getRecordNumber();
                String rawAddress = ac < rec.size() ? rec.get(ac) : "";
                String name = nc >= 0 && nc < rec.size() ? rec.get(nc).strip() : "";
                String address = Addresses.normalise(rawAddress);
                if (address.isEmpty()) {
                    rows.add(new Row(line, rawAddress, name, Action.REFUSE, ImportReason.of("empty")));
                    continue;
                }
                if (!Addresses.isPlausible(address)) {
                    rows.add(new Row(line, rawAddress, name, Action.REFUSE, ImportReason.of("badAddress")));
                    continue;
                }
                String key = Addresses.key(address);
                Long earlier = seen.putIfAbsent(key, line);
                if (earlier != null) {
                    rows.add(new Row(line, address, name, Action.REFUSE,
                            ImportReason.of("duplicate", "line", earlier)));
                    continue;
                }
                Optional<Subscription> sub = subs.findByListAndAddressKey(listId, key);
                Optional<Member> member = members.findByKey(key);
                boolean nameChanges = !name.isEmpty() && member.map(m -> !name.equals(m.displayName())).orElse(false);
                if (sub.isEmpty()) {
                    rows.add(new Row(line, address, name, Action.ADD, ImportReason.of("add")));
                } else if (sub.get().state() == SubscriptionState.UNSUBSCRIBED
                        || sub.get().state() == SubscriptionState.PENDING) {
                    rows.add(new Row(line, address, name, Action.CHANGE, ImportReason.of("again")));
                } else if (nameChanges) {
                    rows.add(new Row(line, address, name, Action.CHANGE,
                            ImportReason.of("rename", "from", member.get().displayName())));
                } else {
                    rows.add(new Row(line, address, name, Action.UNCHANGED,
                            ImportReason.of(sub.get().state() == SubscriptionState.SUSPENDED
                                    ? "suspended" : "unchanged")));
                }
            }
            return null;
        });
        ImportPlan plan = new ImportPlan(Tokens.newToken(), listId, staffId, fileName, decoded.charsetLabel(), rows,
                clock.millis());
        db.inTransaction(s -> {
            ImportPlanMapper m = s.getMapper(ImportPlanMapper.class);
            long cutoff = clock.millis() - KEEP_PLANS_MS;
            m.deleteRowsOfPlansBefore(cutoff);
            m.deletePlansBefore(cutoff);
            m.insertPlan(new ImportPlanMapper.PlanRow(plan.id(), listId, staffId, fileName, plan.charset(),
                    plan.status().name(), 0, "", plan.createdAt()), plan.toApply().size());
            for (Row row : plan.rows()) {
                m.insertRow(plan.id(), new ImportPlanMapper.RowRecord(row.line(), row.address(), row.name(),
                        row.action().name(), row.reason().stored()));
            }
            return null;
        });
        return plan;
    }

    /** The plan as it stands now (status and progress included), from whichever node made it. */
    public Optional<ImportPlan> plan(String id) {
        return db.read(s -> {
            ImportPlanMapper m = s.getMapper(ImportPlanMapper.class);
            return m.findPlan(id).map(p -> new ImportPlan(p.id(), p.listId(), p.staffId(), p.fileName(), p.charset(),
                    m.findRows(id).stream().map(r -> new Row(r.line(), r.address(), r.name(),
                            Action.valueOf(r.action()), ImportReason.read(r.reason()))).toList(), p.createdAt(), ImportPlan.Status.valueOf(p.status()), p.done(), p.failure()));
        });
    }

    /**
     * Applies a plan in the background on this node; returns false if it was already started (here or on another
     * node: the claim is one conditional UPDATE of its row).
     */
    public boolean commit(ImportPlan plan, String actor, String clientIp) {
        if (db.inTransaction(s -> s.getMapper(ImportPlanMapper.class).claim(plan.id(), clock.millis())) == 0) {
            return false;
        }
        worker.submit(() -> {
            try {
                List<Row> rows = plan.toApply();
                for (int i = 0; i < rows.size(); i += BATCH) {
                    List<Row> batch = rows.subList(i, Math.min(rows.size(), i + BATCH));
                    db.inTransaction(s -> {
                        MemberMapper members = s.getMapper(MemberMapper.class);
                        for (Row row : batch) {
                            Subscription sub = memberships.subscribe(s, plan.listId(), row.address(), row.name(),
                                    SubscriptionState.ACTIVE);
                            if (!row.name().isEmpty()) {
                                members.updateDisplayName(sub.memberId(), row.name());
                            }
                            audit.record(s, actor, clientIp, row.action() == Action.ADD ? "member.import-add"
                                    : "member.import-change", plan.listId(), row.address(),
                                    row.reason().text(Texts.japanese())); // the audit log is Japanese
                        }
                        s.getMapper(ImportPlanMapper.class).advance(plan.id(), batch.size(), clock.millis());
                        return null;
                    });
                }
                audit.record(actor, clientIp, "member.import", plan.listId(), plan.fileName(),
                        "追加 " + plan.count(Action.ADD) + " 件、変更 " + plan.count(Action.CHANGE) + " 件、取り込めず "
                                + plan.count(Action.REFUSE) + " 件");
                finish(plan.id(), ImportPlan.Status.DONE, "");
            } catch (RuntimeException e) {
                log.error("member import {} failed", plan.id(), e);
                int done = plan(plan.id()).map(ImportPlan::progressDone).orElse(0);
                // Kept as a key: the progress page may be read in English, or on another node.
                finish(plan.id(), ImportPlan.Status.FAILED,
                        ImportPlan.failedAfter(done));
            }
        });
        return true;
    }

    private void finish(String id, ImportPlan.Status status, String failure) {
        db.inTransaction(s -> s.getMapper(ImportPlanMapper.class).finish(id, status.name(), failure, clock.millis()));
    }

    private static int findColumn(CSVRecord head, List<String> names) {
        for (int i = 0; i < head.size(); i++) {
            String h = head.get(i).strip().toLowerCase(Locale.ROOT).replace("_", "").replace("＿", "");
            if (names.contains(h)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
