package jp.kitamoto.lists.mail.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The DKIM key on disk: read from a PEM file, or made on first start (RSA-2048, PKCS#8 PEM readable by the server's
 * user only, in a directory only it can enter). The private key never leaves this file and the process.
 */
public final class DkimKeys {
    /** RFC 8301: at least 1024; 2048 is what Gmail and Yahoo ask bulk senders for and what fits one TXT record set. */
    public static final int KEY_BITS = 2048;

    private DkimKeys() {
    }

    /** A private key and the public half to publish. */
    public record Loaded(RSAPrivateCrtKey privateKey, byte[] publicKeyDer, boolean created) {
        /** The p= value of the DNS record: the SubjectPublicKeyInfo, base64. */
        public String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(publicKeyDer);
        }
    }

    /** Reads the key at {@code file}, or creates it (and its directory) if there is no file yet. */
    public static Loaded loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            KeyPair pair = generator.generateKeyPair();
            write(file, pem(pair.getPrivate().getEncoded()));
            return new Loaded((RSAPrivateCrtKey) pair.getPrivate(), pair.getPublic().getEncoded(), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM private key: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, opendkim-genkey's). */
    public static Loaded read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        if (!pkcs1 && !pem.contains("BEGIN PRIVATE KEY")) {
            throw new IOException(file + ": not a PEM private key (expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(pkcs1 ? Pkcs1.toPkcs8(der) : der));
            byte[] pub = rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
            return new Loaded(key, pub, false);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException(file + ": not an RSA private key: " + e.getMessage(), e);
        }
    }

    static String pem(byte[] pkcs8) {
        String b64 = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(pkcs8);
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    private static void write(Path file, String pem) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        // The mode is set when the file is created, so the key is never readable by others, not even for a moment.
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, attrs);
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write(pem.getBytes(StandardCharsets.US_ASCII));
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which is what the JDK's KeyFactory reads. */
    static final class Pkcs1 {
        private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
                (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

        private Pkcs1() {
        }

        static byte[] toPkcs8(byte[] pkcs1) {
            byte[] octets = tlv(0x04, pkcs1);
            byte[] content = new byte[VERSION_0.length + RSA_ALGORITHM.length + octets.length];
            System.arraycopy(VERSION_0, 0, content, 0, VERSION_0.length);
            System.arraycopy(RSA_ALGORITHM, 0, content, VERSION_0.length, RSA_ALGORITHM.length);
            System.arraycopy(octets, 0, content, VERSION_0.length + RSA_ALGORITHM.length, octets.length);
            return tlv(0x30, content);
        }

        private static byte[] tlv(int tag, byte[] value) {
            int n = value.length;
            byte[] len = n < 0x80 ? new byte[]{(byte) n}
                    : n < 0x100 ? new byte[]{(byte) 0x81, (byte) n}
                    : n < 0x10000 ? new byte[]{(byte) 0x82, (byte) (n >> 8), (byte) n}
                    : new byte[]{(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
            byte[] out = new byte[1 + len.length + n];
            out[0] = (byte) tag;
            System.arraycopy(len, 0, out, 1, len.length);
            System.arraycopy(value, 0, out, 1 + len.length, n);
            return out;
        }
    }
}
