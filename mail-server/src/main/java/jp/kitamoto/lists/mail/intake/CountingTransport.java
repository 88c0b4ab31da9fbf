package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * James's transport of one connection, counting each reply on its way out. Every reply James gives goes through
 * {@link #writeResponse}: the greeting, each command's reply, the reply to the end of DATA (which bypasses James's
 * {@code ProtocolHandlerResultHandler}s: it comes from a pushed line handler) and its own "line too long" and fatal
 * error replies. The replies our Netty handlers write in James's stead (the 421s of {@link ConnectionGate} and
 * {@link IdleTimeout}) are counted there. Nothing in the reply is changed.
 */
final class CountingTransport implements ProtocolTransport {
    private final ProtocolTransport transport;
    private final SmtpReplyCounter counter;

    CountingTransport(ProtocolTransport transport, SmtpReplyCounter counter) {
        this.transport = transport;
        this.counter = counter;
    }

    @Override
    public void writeResponse(Response response, ProtocolSession session) {
        if (response != null) {
            List<CharSequence> lines = response.getLines();
            if (!lines.isEmpty()) {
                ReplyCodes.count(counter, lines.get(0));
            }
        }
        transport.writeResponse(response, session);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return transport.getRemoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return transport.getLocalAddress();
    }

    @Override
    public String getId() {
        return transport.getId();
    }

    @Override
    public boolean isTLSStarted() {
        return transport.isTLSStarted();
    }

    @Override
    public boolean isStartTLSSupported() {
        return transport.isStartTLSSupported();
    }

    @Override
    public Optional<SSLSession> getSSLSession() {
        return transport.getSSLSession();
    }

    @Override
    public boolean isProxyRequired() {
        return transport.isProxyRequired();
    }

    @Override
    public void popLineHandler() {
        transport.popLineHandler();
    }

    @Override
    public void pushLineHandler(LineHandler<? extends ProtocolSession> overrideCommandHandler, ProtocolSession session) {
        transport.pushLineHandler(overrideCommandHandler, session);
    }

    @Override
    public void setReadable(boolean readable) {
        transport.setReadable(readable);
    }

    @Override
    public boolean isReadable() {
        return transport.isReadable();
    }
}
