package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.app.ops.Backups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "backup", description = {"Takes a consistent copy of the SQLite database, also while the server runs,"
        + " gzip-compressed into backup.dir (default <data-dir>/backups), keeping the newest backup.keep files.",
        "On PostgreSQL: use pg_dump (this command says how)."})
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    Common common;
    @Option(names = "--to", paramLabel = "DIR", description = "write into this folder instead")
    Path to;

    @Override
    public Integer call() {
        Backups.BackupResult r;
        try {
            r = Backups.backup(common.settings(), Optional.ofNullable(to), common.root().clock());
        } catch (Backups.RefusedException e) {
            throw new CliFailure(e.getMessage());
        }
        if (common.json()) {
            common.printJson(Map.of("file", r.file().toAbsolutePath().toString(), "bytes", r.bytes(),
                    "deleted", r.deleted().stream().map(p -> p.getFileName().toString()).toList()));
        } else {
            common.out().printf("backup written: %s (%d bytes)%n", r.file().toAbsolutePath(), r.bytes());
            r.deleted().forEach(p -> common.out().println("deleted old backup " + p.getFileName()));
        }
        return 0;
    }
}
