package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.web.csv.ImportPlan;
import jp.kitamoto.lists.web.csv.ImportPlan.Action;
import jp.kitamoto.lists.web.store.RosterMapper.RosterRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

@Command(name = "members", description = "The members of a list: list, add, remove, import and export CSV.",
        subcommands = {MembersCommand.ListMembers.class, MembersCommand.Add.class, MembersCommand.Remove.class,
                MembersCommand.Import.class, MembersCommand.Export.class})
public final class MembersCommand {

    @Command(name = "list", description = "Every subscription of a list, in address order.")
    public static final class ListMembers implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", paramLabel = "LIST", description = "local part (bunka) or address of the list")
        String list;

        public record MemberRow(String address, String displayName, String state, int bounceScore) {
        }

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                MailingList l = ops.list(list);
                List<MemberRow> rows = new ArrayList<>();
                String after = "";
                while (true) {
                    List<RosterRow> page = ops.members.rowsAfter(l.id(), after, 1000);
                    page.forEach(r -> rows.add(new MemberRow(r.address(), r.displayName(), r.state().name(),
                            r.bounceScore())));
                    if (page.size() < 1000) {
                        break;
                    }
                    after = Addresses.key(page.get(page.size() - 1).address());
                }
                if (common.json()) {
                    common.printJson(rows);
                } else {
                    for (MemberRow r : rows) {
                        common.out().printf("%-40s %-12s %s%n", r.address(), r.state(), r.displayName());
                    }
                    common.out().printf("%d subscriptions%n", rows.size());
                }
                return 0;
            }
        }
    }

    @Command(name = "add", description = "Subscribes an address at once (as staff do on the web: no confirmation mail).")
    public static final class Add implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Parameters(index = "1", paramLabel = "ADDRESS")
        String address;
        @Option(names = "--name", paramLabel = "NAME", description = "display name (氏名)", defaultValue = "")
        String name;

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                MailingList l = ops.list(list);
                Subscription sub;
                try {
                    sub = ops.members.add(l.id(), address, name, common.actor());
                } catch (MembershipService.InvalidAddressException e) {
                    throw new CliFailure("not a mail address: " + address);
                }
                if (common.json()) {
                    common.printJson(Map.of("list", l.localPart(), "address", address.strip(), "subscription", sub.id(),
                            "state", sub.state().name()));
                } else {
                    common.out().printf("subscribed %s to %s%n", address.strip(), l.localPart());
                }
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Unsubscribes an address (kept as UNSUBSCRIBED, as the web's 削除 does).")
    public static final class Remove implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Parameters(index = "1", paramLabel = "ADDRESS")
        String address;

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                MailingList l = ops.list(list);
                Optional<Subscription> sub = ops.memberships.find(l.id(), address);
                if (sub.isEmpty() || sub.get().state() == SubscriptionState.UNSUBSCRIBED) {
                    throw new CliFailure(address.strip() + " is not a member of " + l.localPart());
                }
                ops.members.changeState(l.id(), sub.get().id(), SubscriptionState.UNSUBSCRIBED, common.actor());
                if (common.json()) {
                    common.printJson(Map.of("list", l.localPart(), "address", address.strip(), "state", "UNSUBSCRIBED"));
                } else {
                    common.out().printf("removed %s from %s%n", address.strip(), l.localPart());
                }
                return 0;
            }
        }
    }

    @Command(name = "import", description = {"Imports members from a CSV file as the web import does (Excel's CSV in "
            + "Windows-31J, or UTF-8 with BOM; columns メールアドレス/氏名 by header, else address, name).",
            "Shows what each row would do and changes nothing unless --apply is given."})
    public static final class Import implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Parameters(index = "1", paramLabel = "FILE")
        Path file;
        @Option(names = "--apply", description = "really subscribe the rows shown as ADD and CHANGE")
        boolean apply;

        public record Report(String list, String file, String charset, boolean applied, Map<String, Long> counts,
                             List<ReportRow> rows) {
        }

        /** A row as the JSON report has always shown it: the reason as a sentence (Japanese, as the audit log). */
        public record ReportRow(long line, String address, String name, Action action, String reason) {
            static ReportRow of(ImportPlan.Row r) {
                return new ReportRow(r.line(), r.address(), r.name(), r.action(), r.reason().text(Texts.japanese()));
            }
        }

        @Override
        public Integer call() {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliFailure("cannot read " + file + ": " + e.getMessage());
            }
            try (Ops ops = common.open()) {
                MailingList l = ops.list(list);
                ImportPlan plan;
                try {
                    // Staff id 0: nobody's web session owns a plan made here.
                    plan = ops.imports.dryRun(l.id(), 0, file.getFileName().toString(), bytes);
                } catch (IllegalArgumentException e) {
                    throw new CliFailure(e.getMessage());
                }
                if (apply) {
                    ops.imports.commit(plan, common.actor().name(), common.actor().clientIp());
                    plan = awaitEnd(ops, plan);
                    if (plan.isFailed()) {
                        throw new CliFailure(plan.failure());
                    }
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                for (Action a : Action.values()) {
                    counts.put(a.name(), plan.count(a));
                }
                if (common.json()) {
                    common.printJson(new Report(l.localPart(), file.toString(), plan.charset(), apply, counts,
                            plan.rows().stream().map(ReportRow::of).toList()));
                } else {
                    for (ImportPlan.Row r : plan.rows()) {
                        common.out().printf("%5d  %-9s %-40s %s  %s%n", r.line(), r.action(), r.address(), r.name(),
                                r.reason().text(Texts.japanese()));
                    }
                    common.out().printf("%s (%s): add %d, change %d, unchanged %d, refused %d%n", file.getFileName(),
                            plan.charset(), plan.count(Action.ADD), plan.count(Action.CHANGE),
                            plan.count(Action.UNCHANGED), plan.count(Action.REFUSE));
                    common.out().println(apply ? "applied to " + l.localPart()
                            : "dry run: nothing changed; add --apply to subscribe the ADD and CHANGE rows");
                }
                return 0;
            }
        }

        /** The web's import runs in the background with a progress bar; here we wait for it to end. */
        private static ImportPlan awaitEnd(Ops ops, ImportPlan plan) {
            ImportPlan now = plan;
            while (!now.isDone() && !now.isFailed()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                now = ops.imports.plan(plan.id()).orElseThrow();
            }
            return now;
        }
    }

    @Command(name = "export", description = "Writes the members of a list as CSV for Excel (UTF-8 with BOM; --sjis for Windows-31J).")
    public static final class Export implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", paramLabel = "LIST")
        String list;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output")
        Path output;
        @Option(names = "--sjis", description = "Windows-31J (Excel's 'CSV'); characters it lacks become '?'")
        boolean sjis;

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                MailingList l = ops.list(list);
                byte[] csv = ops.exports.export(l, sjis);
                if (output != null) {
                    Files.write(output, csv);
                    common.err().printf("wrote %d bytes to %s%n", csv.length, output);
                } else {
                    common.out().flush();
                    // Bytes, not text: the CSV's own encoding (and BOM) must reach the file unchanged.
                    System.out.write(csv);
                    System.out.flush();
                }
                ops.audit.record(common.actor(), "member.export", l.id(), l.localPart(), sjis ? "Windows-31J" : "UTF-8 (BOM)");
                return 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
