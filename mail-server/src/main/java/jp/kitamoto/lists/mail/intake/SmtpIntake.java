package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mail.posting.Receiver;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.netty.NettyServer;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.protocols.smtp.SMTPProtocolHandlerChain;
import org.apache.james.protocols.smtp.core.MailCmdHandler;
import org.apache.james.protocols.smtp.core.PostmasterAbuseRcptHook;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * The SMTP listener, built on Apache James's SMTP protocol library (Netty) with two hooks of ours: RCPT routing
 * and storing at the end of DATA. Size limits are James's SIZE extension (552 5.3.4).
 */
public final class SmtpIntake implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpIntake.class);

    private final NettyServer server;

    private SmtpIntake(NettyServer server) {
        this.server = server;
    }

    public static SmtpIntake start(Settings settings, Recipients recipients, Receiver receiver) throws Exception {
        String domain = settings.server().domain();
        String hello = settings.smtp().helloName().isBlank() ? domain : settings.smtp().helloName();
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
            } else if (h.getClass() == MailSizeEsmtpExtension.class) {
                chain.remove(i);
                chain.add(i, new SizeLimitExtension(settings.smtp().maxMessageBytes()));
            }
        }
        chain.add(new ListRcptHook(recipients));
        chain.add(new StoreMessageHook(receiver));
        chain.wireExtensibleHandlers();

        SMTPProtocol protocol = new SMTPProtocol(chain, new IntakeConfiguration(settings.smtp().maxMessageBytes(), hello));
        NettyServer server = new NettyServer.Factory().protocol(protocol).build();
        server.setListenAddresses(new InetSocketAddress(settings.smtp().host(), settings.smtp().port()));
        server.setIoWorkerCount(settings.smtp().ioThreads());
        server.setTimeout(300);
        server.bind();
        SmtpIntake intake = new SmtpIntake(server);
        log.info("SMTP intake listening on {}:{} for @{}", settings.smtp().host(), intake.port(), domain);
        return intake;
    }

    public int port() {
        return server.getListenAddresses().get(0).getPort();
    }

    @Override
    public void close() {
        server.unbind();
    }
}
