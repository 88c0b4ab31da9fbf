package jp.kitamoto.lists.app.cli;

import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.web.posts.PostReview.Decision;
import jp.kitamoto.lists.web.store.ArchiveMapper.PostSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "held", description = "Posts held for moderation: list, approve, reject.",
        subcommands = {HeldCommand.ListHeld.class, HeldCommand.Approve.class, HeldCommand.Reject.class})
public final class HeldCommand {
    private static final DateTimeFormatter JST = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.of("Asia/Tokyo"));

    public record HeldRow(long id, String list, String sender, String subject, String reasons, long receivedAt) {
    }

    @Command(name = "list", description = "The held posts of one list, or of every list; newest first.")
    public static final class ListHeld implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(index = "0", arity = "0..1", paramLabel = "LIST")
        String list;

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                List<MailingList> lists = list == null ? ops.lists.all() : List.of(ops.list(list));
                List<HeldRow> rows = new ArrayList<>();
                for (MailingList l : lists) {
                    for (PostSummary p : ops.review.held(l.id())) {
                        rows.add(new HeldRow(p.id(), l.localPart(), p.sender(), p.subject(), p.reasons(), p.receivedAt()));
                    }
                }
                if (common.json()) {
                    common.printJson(rows);
                } else {
                    for (HeldRow r : rows) {
                        common.out().printf("%6d  %-12s %s  %-30s %s%n        %s%n", r.id(), r.list(),
                                JST.format(Instant.ofEpochMilli(r.receivedAt())), r.sender(), r.subject(),
                                r.reasons() == null ? "" : r.reasons().replace('\n', ' '));
                    }
                    common.out().printf("%d held%n", rows.size());
                }
                return 0;
            }
        }
    }

    /** Approve and reject: the post ids name their list, and each decision is audited as on the web. */
    abstract static class Decide implements Callable<Integer> {
        @Mixin
        Common common;
        @Parameters(arity = "1..*", paramLabel = "POST_ID", description = "ids as shown by 'held list'")
        List<Long> ids;

        abstract Decision decision();

        String reason() {
            return "";
        }

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                int done = 0;
                List<Long> notHeld = new ArrayList<>();
                for (long id : ids) {
                    Optional<Post> post = ops.posts.byId(id);
                    if (post.isEmpty() || ops.review.decide(post.get().listId(), List.of(id), decision(), reason(),
                            common.actor()) == 0) {
                        notHeld.add(id);
                    } else {
                        done++;
                    }
                }
                String verb = decision().name().toLowerCase(java.util.Locale.ROOT);
                if (common.json()) {
                    common.printJson(Map.of("decision", verb, "done", done, "notHeld", notHeld));
                } else {
                    common.out().printf("%s: %d post(s)%n", verb, done);
                    if (!notHeld.isEmpty()) {
                        common.err().println("not held (unknown, or already decided): " + notHeld);
                    }
                }
                return notHeld.isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "approve", description = "Approves held posts: they are distributed as if accepted on arrival.")
    public static final class Approve extends Decide {
        @Override
        Decision decision() {
            return Decision.APPROVE;
        }
    }

    @Command(name = "reject", description = "Rejects held posts; with --reason the sender is told why.")
    public static final class Reject extends Decide {
        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "told to the sender")
        String reason;

        @Override
        Decision decision() {
            return Decision.REJECT;
        }

        @Override
        String reason() {
            return reason;
        }
    }
}
