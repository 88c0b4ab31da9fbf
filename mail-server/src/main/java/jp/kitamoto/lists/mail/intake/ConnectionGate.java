package jp.kitamoto.lists.mail.intake;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import jp.kitamoto.lists.config.ClientNetwork;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in total and per client address, and answers one over a limit with
 * {@code 421 4.7.0} in place of the greeting, then closes it (RFC 5321 section 3.1: a server that will not serve a
 * client says 421 at once). Exempt clients (the Postfix in front of us) only count towards the total.
 *
 * <p>James has {@code ConnectionLimitUpstreamHandler} and {@code ConnectionPerIpLimitUpstreamHandler}, but they close
 * without a reply (the client sees a dropped connection and may retry at once), cannot exempt anyone, and still
 * pass the connection on, so the greeting races the close. This handler sits first in the pipeline and a refused
 * connection never reaches James.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    /** Set on a connection that was counted: the address it was counted under, so the close gives it back. */
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("kitamoto.counted");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("kitamoto.refused");

    private final int maxTotal;
    private final int maxPerClient;
    private final List<ClientNetwork> exempt;
    private final String hello;
    private final RefusalLog refusals;
    private final SmtpReplyCounter replies;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    ConnectionGate(int maxTotal, int maxPerClient, List<ClientNetwork> exempt, String hello, RefusalLog refusals,
                   SmtpReplyCounter replies) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.exempt = exempt;
        this.hello = hello;
        this.refusals = refusals;
        this.replies = replies;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        ctx.channel().attr(COUNTED).set(client);
        int all = total.incrementAndGet();
        int mine = perClient.merge(client, 1, Integer::sum);
        String refusal = null;
        if (all > maxTotal) {
            refusal = "(limit " + maxTotal + " in total)";
        } else if (maxPerClient > 0 && mine > maxPerClient && !isExempt(client)) {
            refusal = "from your address (limit " + maxPerClient + ")";
        }
        if (refusal == null) {
            super.channelActive(ctx);
            return;
        }
        ctx.channel().attr(REFUSED).set(true);
        refusals.repeated("a connection", client.getHostAddress(), "too many connections " + refusal);
        String reply = SmtpReplies.tooManyConnections(hello, refusal);
        ReplyCodes.count(replies, reply);
        ctx.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** A refused connection's input is dropped: James never saw it and has no session for it. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get())) {
            ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = ctx.channel().attr(COUNTED).getAndSet(null);
        if (client != null) {
            total.decrementAndGet();
            // Atomic per key; an address with no connection left is forgotten, so the map stays as small as the
            // number of clients connected.
            perClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
        }
        if (Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get())) {
            return;
        }
        super.channelInactive(ctx);
    }

    /** A refused connection that the client resets is not worth a log line. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get())) {
            ctx.close();
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    private boolean isExempt(InetAddress client) {
        return exempt.stream().anyMatch(n -> n.contains(client));
    }

    int open() {
        return total.get();
    }
}
