package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "lists", description = "The hosted lists: address, name, state, active members, held posts.")
public final class ListsCommand implements Callable<Integer> {
    @Mixin
    Common common;

    public record ListRow(String localPart, String address, String displayName, String state, String policy,
                          long activeMembers, long heldPosts) {
    }

    @Override
    public Integer call() {
        try (Ops ops = common.open()) {
            List<ListRow> rows = new ArrayList<>();
            for (MailingList l : ops.lists.all()) {
                rows.add(new ListRow(l.localPart(), l.address(ops.settings.server().domain()), l.displayName(),
                        l.state().name(), l.policy().name(), ops.memberships.count(l.id(), SubscriptionState.ACTIVE),
                        ops.posts.countHeld(l.id(), 10_000)));
            }
            if (common.json()) {
                common.printJson(rows);
            } else {
                common.out().printf("%-16s %-7s %-12s %8s %5s  %s%n", "LIST", "STATE", "POLICY", "MEMBERS", "HELD", "NAME");
                for (ListRow r : rows) {
                    common.out().printf("%-16s %-7s %-12s %8d %5d  %s%n", r.localPart(), r.state(), r.policy(),
                            r.activeMembers(), r.heldPosts(), r.displayName());
                }
            }
            return 0;
        }
    }
}
