package jp.kitamoto.lists.mail.delivery;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The delivery connections to the smarthost: N {@link SmarthostConnection}s on one Netty I/O thread. One thread is
 * enough (a copy costs it a few microseconds of work per write and per reply) and leaves the cores to the database
 * and the dispatcher.
 *
 * <p>Outcomes are recorded by the I/O thread itself, in one group per turn of its loop: whatever replies one select
 * brought in are committed together after they are read, then every connection whose gate that opens writes its next
 * content, in the same turn. No thread hand-off sits on the path of a copy; on a busy machine each hand-off costs a
 * scheduler wake-up, which measured as the main limit when a separate writer thread did the commits. The price is
 * that the I/O thread waits for the database while it commits (a fraction of a millisecond on SQLite with
 * synchronous=NORMAL); the connections could not write content during that time anyway (crash rule).
 */
final class SmarthostClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<SmarthostConnection> connections = new ArrayList<>();
    private final EventLoop loop;
    private final CopyFlow flow;
    /** Outcomes of this turn of the loop, and who reported each; touched only on the I/O thread. */
    private List<CopyFlow.Outcome> outcomes = new ArrayList<>();
    private List<SmarthostConnection> reporters = new ArrayList<>();
    /** A commit of this turn's outcomes is queued behind the channels' events. */
    private boolean flushQueued;
    /**
     * A commit is due in {@value #IDLE_COMMIT_DELAY_MICROS} µs (no copy was waiting when the first came in). Written
     * on the I/O thread, read by the threads that hand over copies.
     */
    private final AtomicBoolean flushTimed = new AtomicBoolean();
    /**
     * How long outcomes may wait for company when no copy waits to be sent. Short next to any smarthost's reply
     * time, and it changes no crash rule: an uncommitted outcome still holds its place in the connection's window.
     */
    static final long IDLE_COMMIT_DELAY_MICROS = 10_000;

    SmarthostClient(SmarthostOptions options, int connections, CopyFlow flow) {
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("smarthost-io", true));
        this.loop = (EventLoop) group.next(); // the only one: the batching below relies on a single I/O thread
        this.flow = flow;
        Bootstrap base = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true)
                // A connection stops taking octets into its (direct) write buffer above 256 KB and resumes below
                // 128 KB: room for a window of 16 small copies in one write, and a bound on direct memory per
                // connection whatever the size of a post (ByteArraysInput).
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(128 * 1024, 256 * 1024));
        for (int i = 0; i < connections; i++) {
            this.connections.add(new SmarthostConnection(i, options, flow, loop, base, this));
        }
    }

    /**
     * One copy's outcome, from a connection on the I/O thread; committed with the others of this turn, or, when no
     * copy is waiting to be sent, with those of the next {@value #IDLE_COMMIT_DELAY_MICROS} µs.
     */
    void report(SmarthostConnection from, Copy copy, SendResult result) {
        outcomes.add(new CopyFlow.Outcome(copy, result));
        reporters.add(from);
        if (flow.hasWork() || !from.sendsAhead()) {
            if (!flushQueued) {
                flushQueued = true;
                // Tasks run after the loop has handled every channel this select woke up: one commit for all of
                // them, and the windows it opens are filled from the waiting copies at once.
                loop.execute(this::flushOutcomes);
            }
        } else if (flushTimed.compareAndSet(false, true)) {
            // Nothing waits to be sent (the copies come slower than the smarthost takes them, as when each is
            // signed): committing at once would open windows nobody needs, at the price of a commit and a wake-up
            // per few replies. Measured with signing: several hundred commits a second of a few rows each. New
            // copies end the wait ({@link #kick}), so a window full of such outcomes never holds them back.
            loop.schedule(this::timedFlush, IDLE_COMMIT_DELAY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void timedFlush() {
        flushTimed.set(false);
        flushOutcomes();
    }

    private void flushOutcomes() {
        flushQueued = false;
        if (outcomes.isEmpty()) {
            return; // committed by the other trigger already
        }
        List<CopyFlow.Outcome> batch = outcomes;
        List<SmarthostConnection> who = reporters;
        outcomes = new ArrayList<>();
        reporters = new ArrayList<>();
        flow.report(batch, () -> {
            if (loop.inEventLoop()) {
                committed(who);
            } else {
                loop.execute(() -> committed(who));
            }
        });
    }

    /**
     * Tells each connection how many of its outcomes were committed, once per connection: a connection that reported
     * 16 copies in this turn then refills its window with one write of up to 16 transactions. Told once per copy,
     * it wrote (and the smarthost read and answered) one transaction per system call, which measured as more than
     * one write per copy on both sides.
     */
    private static void committed(List<SmarthostConnection> who) {
        Map<SmarthostConnection, Integer> counts = new LinkedHashMap<>();
        for (SmarthostConnection c : who) {
            counts.merge(c, 1, Integer::sum);
        }
        counts.forEach(SmarthostConnection::committed);
    }

    void connectAhead() {
        connections.forEach(SmarthostConnection::connectAhead);
    }

    /**
     * Copies are waiting: wake the connections that have none; if none was waiting, their windows may be full of
     * outcomes held back for company, so commit those now (one kick does; the next copies find nothing held).
     */
    void kick() {
        boolean woke = false;
        for (SmarthostConnection c : connections) {
            woke |= c.kick();
        }
        if (!woke && flushTimed.compareAndSet(true, false)) {
            loop.execute(this::flushOutcomes); // the timer, when it fires later, finds nothing left and returns
        }
    }

    /** Lets each connection finish the copies in hand (up to {@code waitMillis}), then stops the I/O thread. */
    void shutdown(long waitMillis) {
        CompletableFuture<?>[] closed = connections.stream().map(SmarthostConnection::shutdown)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closed).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // Copies still in hand stay pending in the database and are sent after the restart.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        shutdown(30_000);
    }
}
