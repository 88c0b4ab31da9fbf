package jp.kitamoto.lists.mail.dkim;

import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Provider;
import java.security.Signature;

/**
 * Which implementation computes the RSA signatures. Every personal copy costs one RSA-2048 signature, which makes
 * RSA the ceiling of signed delivery; Conscrypt (BoringSSL) signs about 1.7 times as fast as the JDK's provider on
 * our machines (figures in bench/README.md). It is used only for these signatures, never registered globally, so
 * TLS and everything else in the process keep the JDK's providers. Where its native library cannot load (another
 * CPU or C library), the JDK's provider signs, and a log line says so.
 */
public final class RsaProviders {
    private static final Logger log = LoggerFactory.getLogger(RsaProviders.class);

    private RsaProviders() {
    }

    /** Conscrypt if its natives load here, else the JDK's default provider of SHA256withRSA. */
    public static Provider fastest() {
        try {
            if (Conscrypt.isAvailable()) {
                return Conscrypt.newProvider();
            }
            log.info("DKIM: Conscrypt is not available on this platform; the JDK signs (slower, see bench/README.md)");
        } catch (LinkageError | RuntimeException e) {
            log.info("DKIM: Conscrypt's native library did not load ({}); the JDK signs", e.toString());
        }
        return jdk();
    }

    /** The provider the JDK would pick for SHA256withRSA (SunRsaSign). */
    public static Provider jdk() {
        try {
            return Signature.getInstance("SHA256withRSA").getProvider();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA256withRSA", e);
        }
    }
}
