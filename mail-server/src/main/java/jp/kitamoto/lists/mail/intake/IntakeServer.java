package jp.kitamoto.lists.mail.intake;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.apache.james.protocols.api.Protocol;
import org.apache.james.protocols.netty.AbstractAsyncServer;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.AllButStartTlsLineChannelHandlerFactory;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.LineDelimiterBasedChannelHandlerFactory;

/**
 * James's Netty server with our connection pipeline. James's {@code NettyServer} cannot be subclassed (private
 * constructor) and builds its pipeline itself: limit handlers that close without a 421 and exempt nobody, one idle
 * timeout for commands and DATA alike, a core handler that logs every reset at ERROR, and threads named
 * {@code null-io-0}. Ours, per connection, in order: {@link ConnectionGate} (shared), the line framer, James's chunked
 * writer, {@link IdleTimeout}, and {@link QuietCoreHandler} (James's protocol handling). The handler names are
 * James's ({@link HandlerConstants}): its transport finds the core handler by name, and STARTTLS puts the TLS handler
 * in front of all of them.
 *
 * <p>Threads are {@code smtp-boss-N} (accepting) and {@code smtp-io-N} (everything else, our hooks included). James
 * runs its framer on a separate pool of 16 unnamed threads; ours runs on the connection's own I/O thread, which
 * also keeps each line's handling in order with {@link IdleTimeout}.
 */
final class IntakeServer extends AbstractAsyncServer {
    private final Protocol protocol;
    private final Encryption startTls;
    private final ConnectionGate gate;
    private final int commandTimeoutSeconds;
    private final int dataTimeoutSeconds;
    private final String hello;
    private final SmtpReplyCounter replies;

    IntakeServer(Protocol protocol, Encryption startTls, ConnectionGate gate, int commandTimeoutSeconds,
                 int dataTimeoutSeconds, String hello, SmtpReplyCounter replies) {
        this.protocol = protocol;
        this.startTls = startTls;
        this.gate = gate;
        this.commandTimeoutSeconds = commandTimeoutSeconds;
        this.dataTimeoutSeconds = dataTimeoutSeconds;
        this.hello = hello;
        this.replies = replies;
        // AbstractAsyncServer names its thread groups <jmxName>-boss and <jmxName>-io.
        this.jmxName = "smtp";
    }

    @Override
    protected ChannelInitializer<SocketChannel> createPipelineFactory() {
        // With STARTTLS, James's framer refuses commands pipelined behind STARTTLS (CVE-2011-0411 style injection).
        ChannelHandlerFactory framer = startTls != null
                ? new AllButStartTlsLineChannelHandlerFactory("starttls", AbstractChannelPipelineFactory.MAX_LINE_LENGTH)
                : new LineDelimiterBasedChannelHandlerFactory(AbstractChannelPipelineFactory.MAX_LINE_LENGTH);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                ChannelPipeline pipeline = channel.pipeline();
                pipeline.addLast(HandlerConstants.CONNECTION_LIMIT_HANDLER, gate);
                pipeline.addLast(HandlerConstants.FRAMER, framer.create(pipeline));
                pipeline.addLast(HandlerConstants.CHUNK_HANDLER, new ChunkedWriteHandler());
                pipeline.addLast(HandlerConstants.TIMEOUT_HANDLER,
                        new IdleTimeout(commandTimeoutSeconds, dataTimeoutSeconds, hello, replies));
                pipeline.addLast(HandlerConstants.CORE_HANDLER, new QuietCoreHandler(protocol, startTls, replies));
            }
        };
    }
}
