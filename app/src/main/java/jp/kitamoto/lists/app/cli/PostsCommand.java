package jp.kitamoto.lists.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "posts", description = "The delivery queue.", subcommands = PostsCommand.Status.class)
public final class PostsCommand {

    @Command(name = "status", description = "Copies pending, sent and failed; the age of the oldest pending copy; held posts.")
    public static final class Status implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            try (Ops ops = common.open()) {
                QueueStatus.Status s = ops.queue.now();
                if (common.json()) {
                    common.printJson(s);
                } else {
                    common.out().printf("pending %d, sent %d, failed %d; held posts %d%n", s.pending(), s.sent(),
                            s.failed(), s.heldPosts());
                    common.out().println(s.oldestPendingAgeSeconds() == null ? "no copy is waiting"
                            : "oldest pending copy waits for " + age(s.oldestPendingAgeSeconds()));
                }
                return 0;
            }
        }

        static String age(long seconds) {
            if (seconds < 120) {
                return seconds + " s";
            }
            if (seconds < 7200) {
                return seconds / 60 + " min";
            }
            return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
        }
    }
}
