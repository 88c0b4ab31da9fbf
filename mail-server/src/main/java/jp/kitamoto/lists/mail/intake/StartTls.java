package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.ConfigException;
import jp.kitamoto.lists.config.Settings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS credentials for STARTTLS, from a PEM certificate chain and PKCS#8 key or from a PKCS#12
 * keystore ({@code smtp.tls}). A file that cannot be read stops start-up with the setting's name.
 */
final class StartTls {
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] NO_PASSWORD = new char[0];

    private StartTls() {
    }

    static SSLContext context(Settings.Smtp.Tls tls) {
        KeyStore keys = tls.keystore().isEmpty() ? fromPem(tls) : fromPkcs12(tls);
        char[] password = tls.keystore().isEmpty() ? NO_PASSWORD : tls.keystorePassword().toCharArray();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("smtp.tls: the key cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore fromPkcs12(Settings.Smtp.Tls tls) {
        try (InputStream in = Files.newInputStream(Path.of(tls.keystore()))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, tls.keystorePassword().toCharArray());
            return store;
        } catch (Exception e) {
            throw new ConfigException("smtp.tls.keystore: " + tls.keystore() + " cannot be read as PKCS#12 with "
                    + "smtp.tls.keystore-password: " + e.getMessage(), e);
        }
    }

    private static KeyStore fromPem(Settings.Smtp.Tls tls) {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(Path.of(tls.certificate()))) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (Exception e) {
            throw new ConfigException("smtp.tls.certificate: " + tls.certificate() + " cannot be read as PEM "
                    + "certificates: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new ConfigException("smtp.tls.certificate: " + tls.certificate() + " holds no certificate");
        }
        PrivateKey key = privateKey(tls.privateKey());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("smtp", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (Exception e) {
            throw new ConfigException("smtp.tls: the key in " + tls.privateKey() + " does not go with the certificate "
                    + tls.certificate() + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String file) {
        String pem;
        try {
            pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new ConfigException("smtp.tls.private-key: " + file + " cannot be read: " + e.getMessage(), e);
        }
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new ConfigException("smtp.tls.private-key: " + file + " holds no unencrypted PKCS#8 key "
                    + "(BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // The PEM does not say the algorithm; the one that parses is the right one.
            }
        }
        throw new ConfigException("smtp.tls.private-key: " + file + " is not an RSA, EC or Ed25519 key");
    }
}
