package jp.kitamoto.lists.mail.delivery;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The delivery connections to the smarthost: N {@link SmarthostConnection}s on one Netty I/O thread. One thread is
 * enough (a copy costs it a few microseconds of work per write and per reply) and leaves the cores to the database
 * and the dispatcher.
 */
final class SmarthostClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<SmarthostConnection> connections = new ArrayList<>();

    SmarthostClient(SmarthostOptions options, int connections, CopyFlow flow) {
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("smarthost-io", true));
        Bootstrap base = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.connectTimeoutMs())
                .option(ChannelOption.TCP_NODELAY, true);
        for (int i = 0; i < connections; i++) {
            this.connections.add(new SmarthostConnection(i, options, flow, group.next(), base));
        }
    }

    void connectAhead() {
        connections.forEach(SmarthostConnection::connectAhead);
    }

    /** Copies are waiting: wake the connections that have none. */
    void kick() {
        for (SmarthostConnection c : connections) {
            c.kick();
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
