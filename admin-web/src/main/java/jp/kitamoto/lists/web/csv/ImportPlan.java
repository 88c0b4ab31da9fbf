package jp.kitamoto.lists.web.csv;

import jp.kitamoto.lists.text.CatalogueText;
import jp.kitamoto.lists.text.Texts;

import java.util.List;

/**
 * The result of a dry run: what each row of an uploaded file would do, and how far its commit has got. Stored in the
 * database ({@code web_import_plans}, {@code web_import_rows}) between the dry run and the commit, so that the
 * commit applies exactly the rows shown to the staff member whichever node of a cluster it reaches, and the progress
 * page on any node shows the same figures. An instance is a snapshot: {@link MemberImport#plan} reads a fresh one.
 */
public final class ImportPlan {
    public enum Action {
        ADD("追加"), CHANGE("変更"), UNCHANGED("変更なし"), REFUSE("取り込めません");

        private final String label;

        Action(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One row: its number in the file (as Excel shows it), the values read and what will happen. */
    public record Row(long line, String address, String name, Action action, ImportReason reason) {
    }

    public enum Status { DRY_RUN, RUNNING, DONE, FAILED }

    private final String id;
    private final long listId;
    private final long staffId;
    private final String fileName;
    private final String charset;
    private final List<Row> rows;
    private final long createdAt;
    private final Status status;
    private final int done;
    private final String failure;

    public ImportPlan(String id, long listId, long staffId, String fileName, String charset, List<Row> rows,
                      long createdAt) {
        this(id, listId, staffId, fileName, charset, rows, createdAt, Status.DRY_RUN, 0, "");
    }

    ImportPlan(String id, long listId, long staffId, String fileName, String charset, List<Row> rows, long createdAt,
               Status status, int done, String failure) {
        this.id = id;
        this.listId = listId;
        this.staffId = staffId;
        this.fileName = fileName;
        this.charset = charset;
        this.rows = List.copyOf(rows);
        this.createdAt = createdAt;
        this.status = status;
        this.done = done;
        this.failure = failure;
    }

    public String id() { return id; }
    public long listId() { return listId; }
    public long staffId() { return staffId; }
    public String fileName() { return fileName; }
    public String charset() { return charset; }
    public List<Row> rows() { return rows; }
    public long createdAt() { return createdAt; }
    public Status status() { return status; }
    public String failure() { return failure; }

    /** The failure kept on a plan whose commit stopped after {@code done} rows: a key, see {@link #failure(Texts)}. */
    public static String failedAfter(int done) {
        return CatalogueText.of("page.staff.import.failed", "done", done).stored();
    }

    /** Why the commit stopped, in the reader's words (a plan stored by an older version holds its sentence). */
    public String failure(Texts reader) {
        return CatalogueText.read(failure, "page.staff.import.").in(reader);
    }

    public long count(Action a) {
        return rows.stream().filter(r -> r.action() == a).count();
    }

    /** Rows that the commit writes (additions and changes). */
    public List<Row> toApply() {
        return rows.stream().filter(r -> r.action() == Action.ADD || r.action() == Action.CHANGE).toList();
    }

    public int progressDone() { return done; }
    public int progressTotal() { return toApply().size(); }

    public int percent() {
        int total = progressTotal();
        return total == 0 ? 100 : (int) (100L * done / total);
    }

    public boolean isDryRun() { return status == Status.DRY_RUN; }
    public boolean isRunning() { return status == Status.RUNNING; }
    public boolean isDone() { return status == Status.DONE; }
    public boolean isFailed() { return status == Status.FAILED; }
}
