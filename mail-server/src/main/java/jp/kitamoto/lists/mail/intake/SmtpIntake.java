package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.ClientNetwork;
import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.posting.Receiver;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.protocols.smtp.SMTPProtocolHandlerChain;
import org.apache.james.protocols.smtp.core.DataCmdHandler;
import org.apache.james.protocols.smtp.core.MailCmdHandler;
import org.apache.james.protocols.smtp.core.PostmasterAbuseRcptHook;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;
import org.apache.james.protocols.smtp.core.fastfail.MaxRcptHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The SMTP listener, built on Apache James's SMTP protocol library (Netty) with two hooks of ours: RCPT routing
 * and storing at the end of DATA. Size limits are James's SIZE extension (552 5.3.4); the other limits of
 * {@code smtp.limits} are {@link ConnectionGate} (connections), {@link IdleTimeout}, James's {@code MaxRcptHandler}
 * with {@link RecipientCmdHandler} (recipients), {@link PostRateLimit} and {@link MessageLimitsHook}. STARTTLS is
 * offered when {@code smtp.tls.enabled}. Every reply it gives is counted by a {@link SmtpReplyCounter}
 * ({@link CountingTransport}, and the 421s of {@link ConnectionGate} and {@link IdleTimeout}).
 */
public final class SmtpIntake implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpIntake.class);

    private final IntakeServer server;
    private final ConnectionGate gate;
    private final IntakeMemory memory;

    private SmtpIntake(IntakeServer server, ConnectionGate gate, IntakeMemory memory) {
        this.memory = memory;
        this.server = server;
        this.gate = gate;
    }

    public static SmtpIntake start(Settings settings, Recipients recipients, Receiver receiver) throws Exception {
        return start(settings, recipients, receiver, Clock.systemUTC(), SmtpReplyCounter.NONE);
    }

    public static SmtpIntake start(Settings settings, Recipients recipients, Receiver receiver, Clock clock)
            throws Exception {
        return start(settings, recipients, receiver, clock, SmtpReplyCounter.NONE);
    }

    /** With {@code replies} told of every reply the intake gives (for the metrics). */
    public static SmtpIntake start(Settings settings, Recipients recipients, Receiver receiver, Clock clock,
                                   SmtpReplyCounter replies) throws Exception {
        String domain = settings.server().domain();
        Settings.Smtp smtp = settings.smtp();
        Settings.Smtp.Limits limits = smtp.limits();
        String hello = smtp.helloName().isBlank() ? domain : smtp.helloName();
        List<ClientNetwork> exempt = limits.exemptNetworks();
        RefusalLog refusals = new RefusalLog(clock);
        PostRateLimit rate = new PostRateLimit(limits.postsPerClientPerMinute(), exempt, clock, refusals);
        MemoryReservation memory = new MemoryReservation(
                IntakeMemory.forSettings(limits.maxBufferedBytes(), smtp.maxMessageBytes()));
        SMTPProtocolHandlerChain chain = new SMTPProtocolHandlerChain(new NoopMetricFactory());
        // The default chain accepts postmaster@ and abuse@ of ANY domain (an open door for relay probes);
        // removeIf() does not take it out of the wired chain, so remove it by index (see STACK.md).
        for (int i = chain.size() - 1; i >= 0; i--) {
            ProtocolHandler h = (ProtocolHandler) chain.get(i);
            if (h instanceof PostmasterAbuseRcptHook) {
                chain.remove(i);
            } else if (h.getClass() == MailCmdHandler.class) {
                chain.remove(i);
                chain.add(i, new LenientMailCmdHandler(new NoopMetricFactory()));
            } else if (h.getClass() == RcptCmdHandler.class) {
                chain.remove(i);
                chain.add(i, new RecipientCmdHandler(new NoopMetricFactory()));
            } else if (h.getClass() == DataCmdHandler.class) {
                chain.remove(i);
                chain.add(i, new BufferingDataCmdHandler(memory));
            } else if (h.getClass() == MailSizeEsmtpExtension.class) {
                chain.remove(i);
                chain.add(i, new SizeLimitExtension(smtp.maxMessageBytes(), memory));
                // Message hooks run in chain order and stop at the first refusal: the rate counts every message,
                // the oversized ones included, so it goes in front of the size limit; a message that did not fit
                // in memory is not counted (it comes again), so the memory check goes in front of the rate.
                chain.add(i, rate);
                chain.add(i, new BufferingDataCmdHandler.MemoryHook());
            }
        }
        // RCPT hooks, in this order: the limit first (James's own: 452 4.5.3), then routing.
        MaxRcptHandler maxRcpt = new MaxRcptHandler();
        maxRcpt.setMaxRcpt(limits.maxRecipients());
        chain.add(maxRcpt);
        chain.add(new ListRcptHook(recipients));
        chain.add(new MessageLimitsHook(limits));
        chain.add(new StoreMessageHook(receiver));
        chain.add(memory);
        chain.wireExtensibleHandlers();

        Encryption startTls = smtp.tls().enabled() ? Encryption.createStartTls(StartTls.context(smtp.tls())) : null;
        SMTPProtocol protocol = new SMTPProtocol(chain, new IntakeConfiguration(smtp.maxMessageBytes(), hello));
        ConnectionGate gate = new ConnectionGate(limits.maxConnections(), limits.maxConnectionsPerClient(), exempt,
                hello, refusals, replies);
        IntakeServer server = new IntakeServer(protocol, startTls, gate, limits.commandTimeoutSeconds(),
                limits.dataTimeoutSeconds(), hello, replies);
        server.setListenAddresses(new InetSocketAddress(smtp.host(), smtp.port()));
        server.setIoWorkerCount(smtp.ioThreads());
        server.setBossWorkerCount(Optional.of(1));
        try {
            server.bind();
        } catch (java.net.BindException e) {
            // Name the address: the JDK's message ("Address already in use") does not.
            java.net.BindException named = new java.net.BindException(
                    "SMTP " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        SmtpIntake intake = new SmtpIntake(server, gate, memory.memory());
        log.info("SMTP intake listening on {}:{} for @{}{}", smtp.host(), intake.port(), domain,
                startTls != null ? " (STARTTLS offered)" : "");
        return intake;
    }

    /** Connections open now (refused ones until they are closed); for tests and, later, metrics. */
    /** The intake's memory now held by messages in hand or reserved for them (for tests and, later, metrics). */
    long bufferedBytes() {
        return memory.used();
    }

    int openConnections() {
        return gate.open();
    }

    public int port() {
        return server.getListenAddresses().get(0).getPort();
    }

    @Override
    public void close() {
        server.unbind();
    }
}
