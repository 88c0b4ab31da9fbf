package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.app.ops.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "restore", description = {"Replaces the SQLite database with a backup (.db.gz or a plain database"
        + " file). Refuses while a server runs on it; the replaced database is kept as <file>.replaced-<time>."})
public final class RestoreCommand implements Callable<Integer> {
    @Mixin
    Common common;
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        Backups.RestoreResult r;
        try {
            r = Backups.restore(common.settings(), file, common.root().clock());
        } catch (Backups.RefusedException e) {
            throw new CliFailure(e.getMessage());
        }
        String kept = r.replacedKeptAs().map(p -> p.toAbsolutePath().toString()).orElse("");
        if (common.json()) {
            common.printJson(Map.of("database", r.database().toAbsolutePath().toString(), "replacedKeptAs", kept));
        } else {
            common.out().printf("restored %s from %s%n", r.database().toAbsolutePath(), file);
            if (!kept.isEmpty()) {
                common.out().println("the replaced database is kept as " + kept);
            }
        }
        return 0;
    }
}
