package jp.kitamoto.lists.mail.delivery;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import jp.kitamoto.lists.config.Settings;

import javax.net.ssl.SSLException;
import java.io.UncheckedIOException;

/**
 * How to reach the smarthost.
 *
 * @param idleCloseMs an idle connection says QUIT after this long (0: never), before the smarthost's own timeout
 *                    (Postfix smtpd_timeout, 300 s; less under stress) closes it in our face
 * @param sslContext  for STARTTLS; null when {@code startTls} is OFF
 * @param window      with CHUNKING (RFC 3030), the copies a connection may have written and not yet recorded; 0 never
 *                    uses CHUNKING ({@code smarthost.chunking-window})
 */
public record SmarthostOptions(String host, int port, String heloName, int connectTimeoutMs, int readTimeoutMs,
                               int idleCloseMs, StartTls startTls, SslContext sslContext, int window) {
    static final int DEFAULT_IDLE_CLOSE_MS = 60_000;

    public static SmarthostOptions from(Settings settings) {
        Settings.Smarthost s = settings.smarthost();
        StartTls mode = StartTls.fromSetting(s.starttls());
        return new SmarthostOptions(s.host(), s.port(), settings.server().domain(), s.connectTimeoutMs(),
                s.readTimeoutMs(), DEFAULT_IDLE_CLOSE_MS, mode, sslContextFor(mode), s.chunkingWindow());
    }

    /** OPPORTUNISTIC trusts any certificate (it only guards against listening); REQUIRED the JDK's trust store. */
    static SslContext sslContextFor(StartTls mode) {
        try {
            return switch (mode) {
                case OFF -> null;
                case OPPORTUNISTIC -> SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
                case REQUIRED -> SslContextBuilder.forClient().build();
            };
        } catch (SSLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
