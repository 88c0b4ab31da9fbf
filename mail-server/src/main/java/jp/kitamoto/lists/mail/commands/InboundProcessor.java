package jp.kitamoto.lists.mail.commands;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import jp.kitamoto.lists.store.CommandMapper;
import jp.kitamoto.lists.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Works through the mail the intake stored for list sub-addresses ({@code -bounces+token}, {@code -request},
 * {@code -join}, {@code -leave}), each in its own transaction that also marks it done with a result. A failure
 * leaves the command stored and it is tried again at the next round: nothing is lost.
 */
public final class InboundProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);

    private final Database db;
    private final Clock clock;
    private final Map<CommandKind, InboundHandler> handlers;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inbound-commands");
        t.setDaemon(true);
        return t;
    });

    public InboundProcessor(Database db, Clock clock, Map<CommandKind, InboundHandler> handlers) {
        this.db = db;
        this.clock = clock;
        this.handlers = Map.copyOf(handlers);
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runSafely, 1, 5, TimeUnit.SECONDS);
    }

    /** New commands were stored: handle them now rather than at the next round. */
    public void wake() {
        executor.execute(this::runSafely);
    }

    private void runSafely() {
        try {
            processPending();
        } catch (RuntimeException e) {
            log.error("handling list commands failed; they stay stored and are tried again", e);
        }
    }

    /** Handles every stored command of the kinds it has handlers for; returns how many. */
    public int processPending() {
        int handled = 0;
        for (Map.Entry<CommandKind, InboundHandler> entry : handlers.entrySet()) {
            List<InboundCommand> received;
            do {
                received = db.read(s -> s.getMapper(CommandMapper.class)
                        .findByStateAndCommand(CommandState.RECEIVED, entry.getKey(), 100));
                for (InboundCommand c : received) {
                    // Another node may have read the same row: only the one whose lock finds it RECEIVED handles it.
                    boolean ours = db.inTransaction(s -> {
                        CommandMapper commands = s.getMapper(CommandMapper.class);
                        if (commands.lockReceived(c.id()) == 0) {
                            return false;
                        }
                        commands.markProcessed(c.id(), CommandState.DONE, entry.getValue().handle(s, c), clock.millis());
                        return true;
                    });
                    if (ours) {
                        handled++;
                    }
                }
            } while (!received.isEmpty());
        }
        return handled;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
