package jp.kitamoto.lists.mail.dkim;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Provider;
import java.security.Signature;

/**
 * Which implementation computes the RSA signatures. Every personal copy costs one RSA-2048 signature, which makes
 * RSA the ceiling of signed delivery, so the fastest one that loads here is used, in this order:
 * <ol>
 *   <li>Amazon Corretto Crypto Provider (AWS-LC), Linux x86-64: about 3,000 signatures/s per core on this machine,
 *   more than twice Conscrypt, because AWS-LC uses the AVX-512 IFMA RSA code where the CPU has it (bench/README.md);
 *   <li>Conscrypt (BoringSSL), where ACCP's native library does not load (another CPU or OS): about 1.7 times the
 *   JDK;
 *   <li>the JDK's own provider.
 * </ol>
 * Each is used only for these signatures, never registered globally, so TLS and everything else in the process keep
 * the JDK's providers. A log line says which one signs when it is not the first.
 */
public final class RsaProviders {
    private static final Logger log = LoggerFactory.getLogger(RsaProviders.class);

    private RsaProviders() {
    }

    /** The fastest provider of SHA256withRSA that works here: ACCP, else Conscrypt, else the JDK's. */
    public static Provider fastest() {
        Provider accp = corretto();
        if (accp != null) {
            return accp;
        }
        Provider conscrypt = conscrypt();
        return conscrypt != null ? conscrypt : jdk();
    }

    /** ACCP (AWS-LC), or null where its native library does not load. */
    public static Provider corretto() {
        try {
            AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
            if (p.getLoadingError() == null) {
                return p;
            }
            log.info("DKIM: the Amazon Corretto Crypto Provider does not load here ({}); trying Conscrypt",
                    p.getLoadingError().toString());
        } catch (LinkageError | RuntimeException e) {
            log.info("DKIM: the Amazon Corretto Crypto Provider does not load here ({}); trying Conscrypt", e.toString());
        }
        return null;
    }

    /** Conscrypt (BoringSSL), or null where its native library does not load. */
    public static Provider conscrypt() {
        try {
            if (Conscrypt.isAvailable()) {
                return Conscrypt.newProvider();
            }
            log.info("DKIM: Conscrypt is not available on this platform; the JDK signs (slower, see bench/README.md)");
        } catch (LinkageError | RuntimeException e) {
            log.info("DKIM: Conscrypt's native library did not load ({}); the JDK signs", e.toString());
        }
        return null;
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
