package jp.kitamoto.lists.mail.intake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import org.apache.james.protocols.api.Protocol;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * James's connection handler, quiet about clients that go away. James logs every reset connection at ERROR with a
 * stack trace ("Unable to process request ... Connection reset"): a thousand scanners closing their sockets wrote
 * 15,000 log lines. A reset, a broken pipe or a failed TLS handshake is the client's business: one DEBUG line and
 * the connection is closed. Anything else is still James's ERROR, since it would be our bug.
 *
 * <p>It also gives each session a {@link CountingTransport}, so that every reply James writes is counted.
 */
final class QuietCoreHandler extends BasicChannelInboundHandler {
    private static final Logger log = LoggerFactory.getLogger(QuietCoreHandler.class);

    private final SmtpReplyCounter replies;

    QuietCoreHandler(Protocol protocol, Encryption secure, SmtpReplyCounter replies) {
        super(new ProtocolMDCContextFactory.Standard(), protocol, secure, false);
        this.replies = replies;
    }

    @Override
    protected ProtocolSession createSession(ChannelHandlerContext ctx) {
        return protocol.newSession(new CountingTransport(
                new NettyProtocolTransport(ctx.channel(), secure, proxyRequired), replies));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (isClientGone(cause)) {
            log.debug("connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    static boolean isClientGone(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        // ClosedChannelException and SSLException (a handshake the client broke off) are IOExceptions too.
        return root instanceof IOException;
    }
}
