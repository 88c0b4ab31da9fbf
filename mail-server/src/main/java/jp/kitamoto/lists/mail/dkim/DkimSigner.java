package jp.kitamoto.lists.mail.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Signs outgoing copies with DKIM (RFC 6376): rsa-sha256, relaxed/relaxed, d= the list domain. Split in two so that
 * a post to many members costs one body hash and one RSA signature per copy: {@link #prepare} hashes the shared
 * decorated bytes once per post, {@link #sign} signs one copy's header (its personal fields in front of the
 * shared ones).
 *
 * <p>Why not jDKIM: its {@code sign(Headers, BodyHasher)} stores the body hash and signature into the hasher's one
 * signature record (so a hasher cannot be shared by the delivery threads), takes the RSA provider from the global
 * provider list, and re-parses each message with mime4j; relaxed canonicalisation is two short functions
 * ({@link RelaxedCanonicalization}), tested against an independent verifier (dkimpy).
 *
 * <p>Thread-safe: each delivery thread gets its own {@link Signature}.
 */
public final class DkimSigner {
    /**
     * Signed when present, in this order. What a reader sees or acts on (addresses, subject, the one-click
     * unsubscription, the MIME structure), and the list identity that receivers' feedback loops key on.
     */
    static final List<String> SIGNED = List.of("From", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "References", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Post",
            "List-Help", "List-Subscribe", "List-Archive", "List-Owner", "MIME-Version", "Content-Type",
            "Content-Transfer-Encoding");
    /**
     * Over-signed (named once more than present, RFC 6376 section 8.15): a second From, Subject or
     * List-Unsubscribe added on the way would otherwise leave the signature valid while a mail program shows
     * or uses the added one.
     */
    static final Set<String> OVERSIGNED = Set.of("from", "reply-to", "to", "cc", "subject", "list-id",
            "list-unsubscribe", "list-unsubscribe-post", "mime-version", "content-type", "content-transfer-encoding");

    private final String domain;
    private final String selector;
    private final Clock clock;
    private final ThreadLocal<Signature> signatures;

    /** The hash of the shared bytes' body and their header fields, computed once per post. */
    public static final class PreparedBody {
        private final List<HeaderBlock.Field> sharedFields;
        private final String bodyHash;

        private PreparedBody(List<HeaderBlock.Field> sharedFields, String bodyHash) {
            this.sharedFields = sharedFields;
            this.bodyHash = bodyHash;
        }

        String bodyHash() {
            return bodyHash;
        }
    }

    public DkimSigner(String domain, String selector, PrivateKey key, Provider provider, Clock clock) {
        this.domain = domain;
        this.selector = selector;
        this.clock = clock;
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                Signature s = Signature.getInstance("SHA256withRSA", provider);
                s.initSign(key);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("DKIM: cannot sign with " + provider.getName() + ": " + e, e);
            }
        });
        signatures.get(); // a key the provider refuses shows up now, at start-up, not on the first copy
    }

    public String domain() {
        return domain;
    }

    public String selector() {
        return selector;
    }

    /** Hashes the body of the shared bytes (once per post) and reads their header fields. */
    public PreparedBody prepare(byte[] shared) {
        HeaderBlock block = HeaderBlock.parse(shared);
        MessageDigest sha256 = sha256();
        RelaxedCanonicalization.body(shared, block.bodyStart(), shared.length, sha256);
        return new PreparedBody(block.fields(), Base64.getEncoder().encodeToString(sha256.digest()));
    }

    /**
     * The {@code DKIM-Signature:} field (ending in CRLF) for one copy: {@code personal} header fields written in
     * front of the prepared shared bytes. Write it before {@code personal}.
     */
    public byte[] sign(byte[] personal, PreparedBody body) {
        List<HeaderBlock.Field> fields = new ArrayList<>(HeaderBlock.parse(personal).fields());
        fields.addAll(body.sharedFields);

        List<String> names = new ArrayList<>();
        for (String name : SIGNED) {
            long present = fields.stream().filter(f -> f.is(name)).count();
            long listed = present == 0 ? 0 : present + (OVERSIGNED.contains(name.toLowerCase(Locale.ROOT)) ? 1 : 0);
            for (long i = 0; i < listed; i++) {
                names.add(name);
            }
        }
        String unsigned = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=" + domain + "; s=" + selector
                + "; t=" + clock.millis() / 1000 + ";\r\n\th=" + foldedNames(names) + ";\r\n\tbh=" + body.bodyHash
                + ";\r\n\tb=";

        ByteArrayOutputStream data = new ByteArrayOutputStream(2048);
        boolean[] used = new boolean[fields.size()];
        for (String name : names) {
            // RFC 6376 5.4.2: several instances of a name are taken from the bottom up; one more than present
            // (over-signing) stands for "no such field" and adds nothing.
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (!used[i] && fields.get(i).is(name)) {
                    used[i] = true;
                    data.writeBytes(RelaxedCanonicalization.header(fields.get(i).raw()));
                    data.writeBytes(new byte[]{'\r', '\n'});
                    break;
                }
            }
        }
        data.writeBytes(RelaxedCanonicalization.header(unsigned.getBytes(StandardCharsets.US_ASCII)));
        byte[] rsa;
        try {
            Signature s = signatures.get();
            s.update(data.toByteArray());
            rsa = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
        return (unsigned + foldedBase64(Base64.getEncoder().encodeToString(rsa)) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String foldedNames(List<String> names) {
        StringBuilder out = new StringBuilder();
        int column = 3;
        for (int i = 0; i < names.size(); i++) {
            String piece = names.get(i) + (i < names.size() - 1 ? ":" : "");
            if (column + piece.length() > 76) {
                out.append("\r\n\t"); // FWS after a colon of h= is allowed (RFC 6376 3.5) and canonicalises away
                column = 1;
            }
            out.append(piece);
            column += piece.length();
        }
        return out.toString();
    }

    private static String foldedBase64(String b64) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < b64.length(); i += 70) {
            if (i > 0) {
                out.append("\r\n\t");
            }
            out.append(b64, i, Math.min(b64.length(), i + 70));
        }
        return out.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
