package jp.kitamoto.lists.mail.delivery;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.LastSmtpContent;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SMTP connection to the smarthost, driven by replies on its Netty event loop (every field is touched only
 * there). With PIPELINING (RFC 2920) a copy costs one round trip: its content, the end-of-data dot and the next copy's
 * MAIL, RCPT and DATA leave in one write, and the four replies come back together. Without PIPELINING each command
 * waits for its reply (lock-step), on the same state machine.
 *
 * <p>Crash rule: the content of a copy is written only once the outcome of the copy before it on this connection is
 * committed, so at most one copy per connection can have been accepted by the smarthost without being recorded. The
 * commit overlaps the next copy's MAIL/RCPT/DATA round trip, so nothing parks while it runs.
 *
 * <p>With CHUNKING (RFC 3030) the same connection writes whole transactions ahead instead ({@link #startChunked}),
 * within {@code smarthost.chunking-window} unrecorded copies, which is then the crash rule's bound.
 *
 * <p>It is long (the greeting, EHLO/HELO, STARTTLS, the lock-step, pipelined and chunked transactions and every
 * reply's meaning) because it is one state machine whose states share the copies in hand: a dropped connection must
 * find every one of them, whichever style sent it. The handshake and STARTTLS are the part that could become a class
 * of its own (NOTES.md, #13).
 */
final class SmarthostConnection {
    private static final Logger log = LoggerFactory.getLogger(SmarthostConnection.class);
    /** Copies failed as "cannot connect" per failed connection attempt, so a smarthost that is down defers them. */
    private static final int FAIL_PER_CONNECT_ATTEMPT = 64;
    private static final SmtpCommand STARTTLS = SmtpCommand.valueOf("STARTTLS");

    private enum Phase { DISCONNECTED, CONNECTING, GREETING, EHLO, HELO, STARTTLS, READY, QUITTING }

    private enum Step { MAIL, RCPT, DATA, DOT, BDAT, DISCARD, RSET, QUIT }

    private record Expect(Step step, Copy copy) {
    }

    private final int id;
    private final SmarthostOptions options;
    private final CopyFlow flow;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Waiting for copies (a new connection is): {@link #kick()} brings it to work. */
    private final AtomicBoolean idle = new AtomicBoolean(true);
    private final ArrayDeque<Expect> expected = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private Channel channel;
    private Phase phase = Phase.DISCONNECTED;
    private boolean tls;
    private boolean pipelining;
    /** CHUNKING (RFC 3030) offered with PIPELINING and not turned off: whole transactions are written ahead. */
    private boolean chunking;
    /** With {@link #chunking}: the copies written whose reply to BDAT has not come yet, oldest first. */
    private final ArrayDeque<Copy> chunked = new ArrayDeque<>();
    private long sizeLimit = -1;
    private boolean eightBitMime;
    /** The copy between MAIL and the 354 (or its refusal). */
    private Copy envelope;
    /** The copy whose content and dot are written, awaiting the final reply. */
    private Copy content;
    private boolean rsetNeeded;
    /** Outcomes reported and not yet committed: while above zero no content is written (crash rule). */
    private int uncommitted;
    private int failedConnects;
    private boolean closing;

    private final SmarthostClient client;

    SmarthostConnection(int id, SmarthostOptions options, CopyFlow flow, EventLoop loop, Bootstrap base,
                        SmarthostClient client) {
        this.id = id;
        this.client = client;
        this.options = options;
        this.flow = flow;
        this.loop = loop;
        this.bootstrap = base.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(
                        new IdleStateHandler(options.readTimeoutMs(), 0, options.idleCloseMs(), TimeUnit.MILLISECONDS),
                        new SmtpResponseDecoder(8192),
                        // Below the encoder: what it writes waits here in order, and a copy's octets go out only
                        // as the socket takes them (ByteArraysInput), so direct memory stays bounded.
                        new ChunkedWriteHandler(),
                        new SmtpRequestEncoder(),
                        new Replies(ch));
            }
        });
    }

    /** Copies are waiting: take some if this connection is waiting for work. Any thread. */
    /**
     * True while this connection sends whole transactions ahead (CHUNKING): then nothing of it waits for an outcome
     * to be committed unless its window is full. Without CHUNKING the next copy's content waits for the commit of
     * the one before (the crash rule), so its outcomes are committed at once. On the I/O thread.
     */
    boolean sendsAhead() {
        return chunking;
    }

    /** Wakes this connection if it waits for copies; true if it did. */
    boolean kick() {
        if (idle.compareAndSet(true, false)) {
            loop.execute(this::pump);
            return true;
        }
        return false;
    }

    /** Opens the connection before the first copy, so the first copy of a post does not wait for TCP and EHLO. */
    void connectAhead() {
        loop.execute(() -> {
            if (phase == Phase.DISCONNECTED && !closing) {
                connect();
            }
        });
    }

    /** Takes no new copy, finishes the ones in hand, says QUIT. */
    CompletableFuture<Void> shutdown() {
        loop.execute(() -> {
            closing = true;
            finishIfClosing();
        });
        return closed;
    }

    // ---- sending -------------------------------------------------------------------------------------------------

    private void pump() {
        if (closing) {
            finishIfClosing();
            return;
        }
        if (phase == Phase.DISCONNECTED) {
            if (flow.hasWork()) {
                connect();
            } else {
                waitForWork();
            }
            return;
        }
        if (phase != Phase.READY) {
            return; // the handshake calls pump() when it is done
        }
        if (startNext()) {
            channel.flush();
        }
    }

    /** Writes (without flushing) the envelope of the next copy, if this connection may start one now. */
    private boolean startNext() {
        if (chunking) {
            return startChunked();
        }
        if (closing || phase != Phase.READY || envelope != null) {
            return false;
        }
        if (!pipelining && (content != null || !expected.isEmpty())) {
            return false;
        }
        if (rsetNeeded && !pipelining) {
            // Lock-step: RSET alone; its reply starts the next copy.
            write(SmtpRequests.rset(), Step.RSET, null);
            rsetNeeded = false;
            return true;
        }
        Copy c = nextCopy();
        if (c == null) {
            return false;
        }
        boolean rsetWritten = false;
        if (rsetNeeded) {
            // A refused transaction may still be open on the server (MAIL given, DATA refused); start clean.
            write(SmtpRequests.rset(), Step.RSET, null);
            rsetNeeded = false;
            rsetWritten = true;
        }
        Object[] mailRcpt = envelopeOf(c);
        if (mailRcpt == null) {
            return startNext() || rsetWritten;
        }
        envelope = c;
        write(mailRcpt[0], Step.MAIL, c);
        if (pipelining) {
            write(mailRcpt[1], Step.RCPT, c);
            write(SmtpRequests.data(), Step.DATA, c);
        }
        return true;
    }

    /**
     * With CHUNKING (RFC 3030) and PIPELINING: writes whole transactions, MAIL, RCPT, {@code BDAT <n> LAST} and the
     * copy's bytes (not dot-stuffed: BDAT counts octets), one after the other without waiting for any reply, while
     * fewer than {@code window} copies of this connection are unrecorded. A group of copies then costs one write and
     * one read of their replies instead of a round trip each, which is what a copy's CPU went to (system calls and
     * wake-ups on both sides). The window is the crash rule here: at most that many copies per connection can have
     * been accepted by the smarthost without their outcome being committed.
     */
    private boolean startChunked() {
        boolean wrote = false;
        while (!closing && phase == Phase.READY && chunked.size() + uncommitted < options.window()) {
            Copy c = nextCopy();
            if (c == null) {
                break;
            }
            if (!writable(c)) {
                continue;
            }
            if (rsetNeeded) {
                // A refused transaction before this one may have left the server's state undetermined (RFC 3030 4.2).
                write(SmtpRequests.rset(), Step.RSET, null);
                rsetNeeded = false;
            }
            // The whole transaction is one message through the pipeline (its MAIL, RCPT and BDAT lines, then the
            // octets, which pass the SMTP encoder untouched): one pass instead of four per copy.
            channel.write(ByteArraysInput.message(chunkedCommands(c), c.plainHeaders, c.post.canonical()));
            expected.add(new Expect(Step.MAIL, c));
            expected.add(new Expect(Step.RCPT, c));
            expected.add(new Expect(Step.BDAT, c));
            chunked.add(c);
            wrote = true;
        }
        return wrote;
    }

    /**
     * The next copy to send, or null (and this connection marked idle) when none is waiting. A copy larger than the
     * smarthost's SIZE is decided here and skipped.
     */
    private Copy nextCopy() {
        while (true) {
            Copy c = flow.next();
            if (c == null) {
                waitForWork();
                if (!flow.hasWork() || !idle.compareAndSet(true, false)) {
                    return null;
                }
                continue; // a copy arrived between next() and the idle flag: take it
            }
            c.newAttempt();
            if (sizeLimit > 0 && c.size() > sizeLimit) {
                // RFC 1870: the smarthost told us it would refuse it; do not send what cannot be accepted.
                decide(c, SendResult.permanent("552 5.3.4 message of " + c.size()
                        + " octets exceeds the smarthost's SIZE " + sizeLimit));
                continue;
            }
            return c;
        }
    }

    /**
     * {@code MAIL FROM:<…> [SIZE=n] [BODY=8BITMIME]}, {@code RCPT TO:<…>} and {@code BDAT n LAST} of a chunked
     * transaction, as octets. The addresses were checked by {@link #writable}.
     */
    private byte[] chunkedCommands(Copy c) {
        StringBuilder lines = new StringBuilder(64 + c.envelopeFrom.length() + c.recipient.length());
        lines.append("MAIL FROM:<").append(c.envelopeFrom).append('>');
        for (CharSequence parameter : mailParameters(c)) {
            lines.append(' ').append(parameter);
        }
        lines.append("\r\nRCPT TO:<").append(c.recipient).append(">\r\nBDAT ").append(c.size()).append(" LAST\r\n");
        return lines.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** MAIL's parameters for this copy: its size where the smarthost offers SIZE, 8BITMIME where it is 8-bit. */
    private CharSequence[] mailParameters(Copy c) {
        List<CharSequence> parameters = new ArrayList<>(2);
        if (sizeLimit >= 0) {
            parameters.add("SIZE=" + c.size());
        }
        if (eightBitMime && c.post.eightBit()) {
            parameters.add("BODY=8BITMIME");
        }
        return parameters.toArray(new CharSequence[0]);
    }

    /**
     * Whether both addresses of the copy can go on the wire; if not, the copy is decided (a permanent failure). A
     * CR or LF would inject a command; an address beyond ASCII needs SMTPUTF8 (RFC 6531), which this client does not
     * use, and written as ASCII it would reach somebody else.
     */
    private boolean writable(Copy c) {
        String refusal = unwritable(c.envelopeFrom);
        if (refusal == null) {
            refusal = unwritable(c.recipient);
        }
        if (refusal != null) {
            decide(c, SendResult.permanent(refusal));
        }
        return refusal == null;
    }

    /** Why this path cannot be written on the wire, or null. */
    private static String unwritable(String path) {
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch > 0x7e) {
                return "553 5.6.7 " + path + ": the address is not ASCII, and this server does not send SMTPUTF8"
                        + " (RFC 6531)";
            }
            if (ch < 0x20) {
                return "553 5.1.3 address cannot be written on the wire: it holds a control character";
            }
        }
        return null;
    }

    /** MAIL and RCPT of a copy, or null when its addresses cannot be written (the copy is then decided). */
    private Object[] envelopeOf(Copy c) {
        if (!writable(c)) {
            return null;
        }
        return new Object[]{SmtpRequests.mail(c.envelopeFrom, mailParameters(c)), SmtpRequests.rcpt(c.recipient)};
    }

    private void write(Object request, Step step, Copy c) {
        channel.write(request);
        expected.add(new Expect(step, c));
    }

    /** Writes the content of the copy whose DATA was accepted, once the copy before it is recorded. */
    private void tryWriteContent() {
        Copy c = envelope;
        if (c == null || !c.dataAccepted || uncommitted > 0 || phase != Phase.READY) {
            return;
        }
        envelope = null;
        content = c;
        // The personal block, then the shared, already stuffed bytes, in slices as the connection takes them; then
        // the dot (CRLF.CRLF: the bytes end with CRLF), which also ends the SMTP encoder's content.
        channel.write(ByteArraysInput.message(c.headers, c.post.wire()));
        channel.write(LastSmtpContent.EMPTY_LAST_CONTENT);
        expected.add(new Expect(Step.DOT, c));
        startNext(); // RFC 2920: the next MAIL/RCPT/DATA may follow the dot in the same group
        channel.flush();
    }

    private void decide(Copy c, SendResult result) {
        c.decided = true;
        uncommitted++;
        client.report(this, c, result);
    }

    /** {@code count} outcomes this connection reported are committed. On the I/O thread. */
    void committed(int count) {
        uncommitted -= count;
        if (chunking) {
            if (startChunked()) {
                channel.flush(); // the window opened
            }
        } else {
            tryWriteContent();
        }
        finishIfClosing();
    }

    private void waitForWork() {
        idle.set(true);
    }

    // ---- replies -------------------------------------------------------------------------------------------------

    private void onReply(SmtpResponse r) {
        if (phase != Phase.READY && phase != Phase.QUITTING) {
            handshake(r);
            return;
        }
        Expect e = expected.poll();
        if (e == null) {
            if (r.code() == 421) {
                // Unsolicited 421: the smarthost closes an idle connection (Postfix smtpd_timeout, shutdown).
                log.debug("smarthost connection {} closed by the smarthost while idle: {}", id, text(r));
                drop(null);
            }
            return;
        }
        if (r.code() == 421) {
            // RFC 5321 3.8: the server is closing the connection. What it had not finished is unknown, not refused.
            drop("smarthost closing the connection: " + text(r));
            return;
        }
        Copy c = e.copy();
        if (chunking && c != null && e.step() != Step.BDAT) {
            onChunkedEnvelopeReply(e.step(), c, r);
            return;
        }
        switch (e.step()) {
            case MAIL -> {
                if (!positive(r)) {
                    decide(c, classify(r));
                    if (!pipelining) {
                        envelopeRefused();
                    }
                } else if (!pipelining) {
                    write(SmtpRequests.rcpt(c.recipient), Step.RCPT, c);
                    channel.flush();
                }
            }
            case RCPT -> {
                if (!positive(r) && !c.decided) {
                    decide(c, classifyRecipient(r));
                }
                if (!pipelining) {
                    if (c.decided) {
                        envelopeRefused();
                    } else {
                        write(SmtpRequests.data(), Step.DATA, c);
                        channel.flush();
                    }
                }
            }
            case DATA -> {
                if (r.code() == 354 && c.decided) {
                    // RFC 2920 3.1: a server may accept DATA although every RCPT failed; an empty message ends it.
                    envelope = null;
                    channel.write(LastSmtpContent.EMPTY_LAST_CONTENT);
                    expected.add(new Expect(Step.DISCARD, null));
                    pump();
                    channel.flush();
                } else if (r.code() == 354) {
                    c.dataAccepted = true;
                    tryWriteContent();
                } else {
                    if (!c.decided) {
                        decide(c, classifyRecipient(r));
                    }
                    envelopeRefused();
                }
            }
            case DOT -> {
                content = null;
                decide(c, classifyRecipient(r));
                pump();
                finishIfClosing();
            }
            case BDAT -> {
                chunked.remove(c); // replies come in order: the oldest
                if (!positive(r)) {
                    rsetNeeded = true;
                }
                if (!c.decided) {
                    if (c.outOfSequence || r.code() == 503) {
                        sendAgain(c, text(r));
                    } else {
                        decide(c, classifyRecipient(r));
                    }
                }
                pump();
                finishIfClosing();
            }
            case DISCARD, RSET -> {
                pump();
                finishIfClosing();
            }
            case QUIT -> {
                // Closed in finishIfClosing(); the reply changes nothing.
            }
        }
    }

    /**
     * A reply to MAIL or RCPT of a chunked transaction: a refusal decides the copy (its BDAT is then refused too,
     * and ignored), except 503, which says the server still held a refused transaction before this one.
     */
    private void onChunkedEnvelopeReply(Step step, Copy c, SmtpResponse r) {
        if (positive(r) || c.decided || c.outOfSequence) {
            return;
        }
        rsetNeeded = true;
        if (r.code() == 503) {
            c.outOfSequence = true;
        } else {
            decide(c, step == Step.MAIL ? classify(r) : classifyRecipient(r));
        }
    }

    private void envelopeRefused() {
        envelope = null;
        rsetNeeded = true;
        pump();
        finishIfClosing();
    }

    private void handshake(SmtpResponse r) {
        switch (phase) {
            case GREETING -> {
                if (r.code() != 220) {
                    connectFailed("greeting " + text(r));
                    return;
                }
                phase = Phase.EHLO;
                channel.writeAndFlush(SmtpRequests.ehlo(options.heloName()));
            }
            case EHLO -> {
                if (r.code() / 100 != 2) {
                    // An old server without ESMTP: plain HELO, no extensions, lock-step.
                    phase = Phase.HELO;
                    channel.writeAndFlush(SmtpRequests.helo(options.heloName()));
                    return;
                }
                boolean offersTls = capabilities(r);
                if (!tls && options.startTls() != StartTls.OFF && offersTls) {
                    phase = Phase.STARTTLS;
                    channel.writeAndFlush(new DefaultSmtpRequest(STARTTLS));
                } else if (!tls && options.startTls() == StartTls.REQUIRED) {
                    connectFailed("the smarthost does not offer STARTTLS, and smarthost.starttls is required");
                } else {
                    ready();
                }
            }
            case HELO -> {
                if (r.code() / 100 != 2) {
                    connectFailed("HELO refused: " + text(r));
                } else if (options.startTls() == StartTls.REQUIRED) {
                    connectFailed("the smarthost does not offer STARTTLS, and smarthost.starttls is required");
                } else {
                    pipelining = false;
                    chunking = false;
                    sizeLimit = -1;
                    eightBitMime = false;
                    ready();
                }
            }
            case STARTTLS -> {
                if (r.code() != 220) {
                    if (options.startTls() == StartTls.REQUIRED) {
                        connectFailed("STARTTLS refused: " + text(r));
                    } else {
                        log.info("smarthost refused STARTTLS ({}); sending without TLS (smarthost.starttls: true)", text(r));
                        ready();
                    }
                    return;
                }
                Channel ch = channel;
                SslHandler ssl = options.sslContext().newHandler(ch.alloc(), options.host(), options.port());
                if (options.startTls() == StartTls.REQUIRED) {
                    SSLParameters p = ssl.engine().getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 6125 name check, as for HTTPS
                    ssl.engine().setSSLParameters(p);
                }
                ch.pipeline().addFirst("tls", ssl);
                ssl.handshakeFuture().addListener(f -> {
                    if (ch != channel) {
                        return;
                    }
                    if (f.isSuccess()) {
                        // RFC 3207 4.2: forget what was learnt before TLS and ask again.
                        tls = true;
                        phase = Phase.EHLO;
                        ch.writeAndFlush(SmtpRequests.ehlo(options.heloName()));
                    } else {
                        connectFailed("TLS handshake failed: " + f.cause().getMessage());
                    }
                });
            }
            default -> {
                // CONNECTING or DISCONNECTED: a late reply of a channel being dropped.
            }
        }
    }

    /** Reads the EHLO keywords (RFC 5321 4.1.1.1); returns whether STARTTLS is offered. */
    private boolean capabilities(SmtpResponse r) {
        pipelining = false;
        sizeLimit = -1;
        eightBitMime = false;
        boolean chunks = false;
        boolean starttls = false;
        List<CharSequence> lines = r.details();
        for (int i = 1; i < lines.size(); i++) { // the first line is the server's name
            String line = lines.get(i).toString().trim().toUpperCase(Locale.ROOT);
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "PIPELINING" -> pipelining = true;
                case "CHUNKING" -> chunks = true;
                case "8BITMIME" -> eightBitMime = true;
                case "STARTTLS" -> starttls = true;
                case "SIZE" -> {
                    sizeLimit = 0;
                    if (words.length > 1) {
                        try {
                            sizeLimit = Long.parseLong(words[1]);
                        } catch (NumberFormatException ignored) {
                            // "SIZE" with garbage: announce sizes, check none
                        }
                    }
                }
                default -> {
                }
            }
        }
        chunking = chunks && pipelining && options.window() > 0;
        return starttls;
    }

    private void ready() {
        phase = Phase.READY;
        if (failedConnects > 0) {
            log.info("smarthost {}:{} reachable again", options.host(), options.port());
        }
        failedConnects = 0;
        log.debug("smarthost connection {} ready: pipelining={} chunking={} size={} tls={}", id, pipelining, chunking,
                sizeLimit, tls);
        pump();
    }

    // ---- connection life -----------------------------------------------------------------------------------------

    private void connect() {
        phase = Phase.CONNECTING;
        tls = false;
        ChannelFuture f = bootstrap.connect(options.host(), options.port());
        channel = f.channel();
        Channel ch = channel;
        f.addListener(done -> {
            if (ch != channel) {
                return;
            }
            if (done.isSuccess()) {
                phase = Phase.GREETING;
            } else {
                connectFailed(rootMessage(done.cause()));
            }
        });
    }

    /** The handshake failed: copies waiting now are deferred (a smarthost that is down must not hold the queue). */
    private void connectFailed(String why) {
        Channel ch = channel;
        channel = null;
        phase = Phase.DISCONNECTED;
        if (ch != null) {
            ch.close();
        }
        expected.clear();
        String reply = "cannot connect to smarthost " + options.host() + ":" + options.port() + ": " + why;
        if (failedConnects++ == 0) {
            log.warn(reply);
        }
        if (closing) {
            finishIfClosing();
            return;
        }
        for (int i = 0; i < FAIL_PER_CONNECT_ATTEMPT; i++) {
            Copy c = flow.next();
            if (c == null) {
                break;
            }
            c.newAttempt();
            decide(c, SendResult.temporary(reply));
        }
        waitForWork();
        if (flow.hasWork()) {
            kick();
        }
    }

    /**
     * The connection ended (dropped, timed out, 421). The copies in hand whose outcome is unknown are sent again at
     * once on a fresh connection, each once; after that they wait for the back-off like any 4xx.
     */
    private void drop(String why) {
        Channel ch = channel;
        channel = null;
        phase = Phase.DISCONNECTED;
        if (ch != null) {
            ch.close();
        }
        expected.clear();
        rsetNeeded = false;
        List<Copy> unknown = new ArrayList<>(chunked);
        unknown.add(content);
        unknown.add(envelope);
        for (Copy c : unknown) {
            if (c == null || c.decided) {
                continue;
            }
            if (closing) {
                continue; // still pending in the database: sent after the restart
            }
            sendAgain(c, "connection to smarthost failed: " + why);
        }
        chunked.clear();
        content = null;
        envelope = null;
        if (closing) {
            finishIfClosing();
        } else {
            waitForWork();
            if (flow.hasWork()) {
                kick();
            }
        }
    }

    /** A copy whose outcome is unknown: sent again at once, on any connection; the second time it is a 4xx. */
    private void sendAgain(Copy c, String why) {
        if (!c.handedBack) {
            c.handedBack = true;
            flow.handBack(c);
        } else {
            decide(c, SendResult.temporary(why));
        }
    }

    private void finishIfClosing() {
        if (!closing || closed.isDone()) {
            return;
        }
        if (phase == Phase.READY && (envelope != null || content != null || !chunked.isEmpty() || !expected.isEmpty())) {
            return; // copies in hand: their replies come first
        }
        if (uncommitted > 0) {
            return;
        }
        Channel ch = channel;
        if (ch != null && phase == Phase.READY) {
            phase = Phase.QUITTING;
            // Not waiting for 221: every copy's outcome is known by now.
            ch.writeAndFlush(SmtpRequests.quit()).addListener(f -> ch.close());
        } else if (ch != null) {
            ch.close();
        }
        channel = null;
        phase = Phase.DISCONNECTED;
        closed.complete(null);
    }

    private final class Replies extends SimpleChannelInboundHandler<SmtpResponse> {
        private final Channel ch;

        Replies(Channel ch) {
            this.ch = ch;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse r) {
            if (ch == channel) {
                onReply(r);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (ch != channel || !(evt instanceof IdleStateEvent idleEvent)) {
                return;
            }
            if (idleEvent.state() == IdleState.READER_IDLE && (phase != Phase.READY || !expected.isEmpty())) {
                String why = "no answer from the smarthost within " + options.readTimeoutMs() + " ms";
                if (phase == Phase.READY) {
                    drop(why);
                } else {
                    connectFailed(why);
                }
            } else if (idleEvent.state() == IdleState.ALL_IDLE && phase == Phase.READY && expected.isEmpty()
                    && envelope == null && content == null && chunked.isEmpty() && uncommitted == 0) {
                // Leave before the smarthost's own timeout does; the next copy opens a fresh connection.
                channel = null;
                phase = Phase.DISCONNECTED;
                ch.writeAndFlush(SmtpRequests.quit()).addListener(f -> ch.close());
                waitForWork();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ch != channel) {
                return;
            }
            if (phase == Phase.READY) {
                drop("connection closed by the smarthost");
            } else if (phase == Phase.QUITTING) {
                channel = null;
                phase = Phase.DISCONNECTED;
            } else {
                connectFailed("connection closed by the smarthost during the greeting");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ch != channel) {
                ctx.close();
                return;
            }
            log.debug("smarthost connection {}: {}", id, cause.toString());
            if (phase == Phase.READY) {
                drop(rootMessage(cause));
            } else {
                connectFailed(rootMessage(cause));
            }
        }
    }

    // ---- replies as outcomes -------------------------------------------------------------------------------------

    private static boolean positive(SmtpResponse r) {
        return r.code() / 100 == 2;
    }

    static SendResult classify(SmtpResponse r) {
        String reply = text(r);
        if (r.code() / 100 == 2) {
            return SendResult.sent(reply);
        }
        if (r.code() / 100 == 5) {
            return SendResult.permanent(reply);
        }
        return SendResult.temporary(reply);
    }

    /**
     * A reply to RCPT, DATA or the message: a 5xx there is the recipient's mailbox or domain refusing it, which counts
     * as a hard bounce ({@link SendResult#refused}). A 5xx to MAIL FROM ({@link #classify}) is about us, not them.
     */
    static SendResult classifyRecipient(SmtpResponse r) {
        SendResult result = classify(r);
        return result.kind() == SendResult.Kind.PERMANENT ? SendResult.refused(result.reply()) : result;
    }

    private static String text(SmtpResponse r) {
        StringBuilder sb = new StringBuilder().append(r.code());
        for (CharSequence d : r.details()) {
            sb.append(' ').append(d);
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
