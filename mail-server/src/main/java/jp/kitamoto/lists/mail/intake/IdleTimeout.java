package jp.kitamoto.lists.mail.intake;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.core.DataCmdHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that stays silent, with the timeouts of RFC 5321 section 4.5.3.2: one while the server waits
 * for a command (5 minutes) and a shorter one while it waits for the next block of a message inside DATA
 * (3 minutes). The client hears {@code 421 4.4.2} and the log gets one DEBUG line.
 *
 * <p>James's {@code TimeoutHandler} has one timeout for everything and closes without a reply. One instance per
 * connection; it runs on the connection's event loop, after James has handled each line, so it sees whether that
 * line started or ended DATA.
 */
final class IdleTimeout extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(IdleTimeout.class);

    private final int commandSeconds;
    private final int dataSeconds;
    private final String hello;
    private final SmtpReplyCounter replies;
    private ScheduledFuture<?> pending;

    IdleTimeout(int commandSeconds, int dataSeconds, String hello, SmtpReplyCounter replies) {
        this.commandSeconds = commandSeconds;
        this.dataSeconds = dataSeconds;
        this.hello = hello;
        this.replies = replies;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        schedule(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        cancel();
        try {
            // James handles the line (and may store a message) before this returns: the clock restarts after it.
            super.channelRead(ctx, msg);
        } finally {
            if (ctx.channel().isActive()) {
                schedule(ctx);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void schedule(ChannelHandlerContext ctx) {
        boolean inData = inData(ctx);
        int seconds = inData ? dataSeconds : commandSeconds;
        pending = ctx.executor().schedule(() -> expire(ctx, inData, seconds), seconds, TimeUnit.SECONDS);
    }

    private void expire(ChannelHandlerContext ctx, boolean inData, int seconds) {
        if (!ctx.channel().isActive()) {
            return;
        }
        log.debug("closing an idle connection from {} after {} s waiting for {}", ctx.channel().remoteAddress(),
                seconds, inData ? "data" : "a command");
        String reply = SmtpReplies.idleTimeout(hello, inData ? "data" : "command", seconds);
        ReplyCodes.count(replies, reply);
        ctx.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** DATA has been answered 354 and the final dot has not come yet: James keeps the envelope until then. */
    private static boolean inData(ChannelHandlerContext ctx) {
        Object session = ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        return session instanceof ProtocolSession s
                && s.getAttachment(DataCmdHandler.MAILENV, ProtocolSession.State.Transaction).isPresent();
    }
}
