package jp.kitamoto.lists.mail.intake;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STARTTLS on the intake with a certificate made for the test by the JDK's keytool, given once as a PKCS#12 keystore
 * and once as PEM files; a Jakarta Mail client that insists on STARTTLS posts through it.
 */
class SmtpStartTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path keys;
    static Path keystore;
    static Path certificatePem;
    static Path keyPem;

    @TempDir
    Path dir;
    IntakeHarness server;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = keys.resolve("smtp.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        // The same key and certificate as PEM files, as a site would get them from its CA.
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Key key = store.getKey("smtp", PASSWORD.toCharArray());
        Certificate certificate = store.getCertificate("smtp");
        keyPem = Files.writeString(keys.resolve("smtp.key"), pem("PRIVATE KEY", key.getEncoded()));
        certificatePem = Files.writeString(keys.resolve("smtp.crt"), pem("CERTIFICATE", certificate.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void postShouldArriveOverStartTlsWithAPkcs12Keystore() throws Exception {
        server = IntakeHarness.start(dir, Map.of("KITAMOTO_SMTP__TLS__ENABLED", "true",
                "KITAMOTO_SMTP__TLS__KEYSTORE", keystore.toString(),
                "KITAMOTO_SMTP__TLS__KEYSTORE_PASSWORD", PASSWORD));

        postRequiringStartTls();

        assertThat(server.received).hasSize(1);
        assertThat(new String(server.received.get(0).raw(), StandardCharsets.UTF_8)).contains("Subject: STARTTLS");
    }

    @Test
    void postShouldArriveOverStartTlsWithPemFiles() throws Exception {
        server = IntakeHarness.start(dir, Map.of("KITAMOTO_SMTP__TLS__ENABLED", "true",
                "KITAMOTO_SMTP__TLS__CERTIFICATE", certificatePem.toString(),
                "KITAMOTO_SMTP__TLS__PRIVATE_KEY", keyPem.toString()));
        try (LineClient c = server.connect()) {
            assertThat(c.command("EHLO client.example.jp")).contains("STARTTLS");
        }

        postRequiringStartTls();

        assertThat(server.received).hasSize(1);
    }

    @Test
    void startTlsShouldNotBeOfferedByDefault() throws Exception {
        server = IntakeHarness.start(dir, Map.of());
        try (LineClient c = server.connect()) {
            assertThat(c.command("EHLO client.example.jp")).doesNotContain("STARTTLS");
        }
    }

    /** Jakarta Mail with starttls.required fails instead of sending in clear when the upgrade does not happen. */
    private void postRequiringStartTls() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.intake.port()));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "*"); // the test's self-signed certificate
        p.put("mail.smtp.connectiontimeout", "30000");
        p.put("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("yamada@example.jp"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(server.list()));
        m.setSubject("STARTTLS", "UTF-8");
        m.setText("TLS トンネル", "UTF-8", "plain");
        m.saveChanges();
        Transport.send(m);
    }
}
