package jp.kitamoto.lists.mail.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Thread-safe: each signing thread gets its own {@link Signature} and buffers.
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
    private static final Set<String> SIGNED_LOWER = SIGNED.stream().map(n -> n.toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** {@link #SIGNED} in lower case, index for index (not lower-cased again for each copy). */
    private static final String[] SIGNED_KEYS = SIGNED.stream().map(n -> n.toLowerCase(Locale.ROOT))
            .toArray(String[]::new);
    static final Set<String> OVERSIGNED = Set.of("from", "reply-to", "to", "cc", "subject", "list-id",
            "list-unsubscribe", "list-unsubscribe-post", "mime-version", "content-type", "content-transfer-encoding");

    private final String domain;
    private final String selector;
    private final Clock clock;
    private final ThreadLocal<PerThread> perThread;

    /**
     * The hash of the shared bytes' body and their signed header fields, canonicalised: computed once per post, so
     * that a copy canonicalises only its own few personal fields (measured: canonicalising every field per copy was
     * a fifth of a signing thread's Java time once RSA got fast).
     */
    public static final class PreparedBody {
        /** Per name of {@link #SIGNED} (lower case): the shared fields of that name, canonical, top to bottom. */
        private final Map<String, List<byte[]>> sharedFields;
        private final String bodyHash;

        private PreparedBody(Map<String, List<byte[]>> sharedFields, String bodyHash) {
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
        this.perThread = ThreadLocal.withInitial(() -> {
            try {
                Signature s = Signature.getInstance("SHA256withRSA", provider);
                s.initSign(key);
                return new PerThread(s);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("DKIM: cannot sign with " + provider.getName() + ": " + e, e);
            }
        });
        perThread.get(); // a key the provider refuses shows up now, at start-up, not on the first copy
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
        return new PreparedBody(canonicalByName(block.fields()), Base64.getEncoder().encodeToString(sha256.digest()));
    }

    /**
     * The {@code DKIM-Signature:} field (ending in CRLF) for one copy: {@code personal} header fields written in
     * front of the prepared shared bytes. Write it before {@code personal}.
     */
    public byte[] sign(byte[] personal, PreparedBody body) {
        Map<String, List<byte[]>> own = canonicalByName(HeaderBlock.parse(personal).fields());
        PerThread mine = perThread.get();
        List<String> names = mine.names;
        names.clear();
        ByteSink data = mine.data;
        data.reset();
        for (int n = 0; n < SIGNED.size(); n++) {
            String key = SIGNED_KEYS[n];
            List<byte[]> shared = body.sharedFields.getOrDefault(key, List.of());
            List<byte[]> personalFields = own.getOrDefault(key, List.of());
            int present = shared.size() + personalFields.size();
            if (present == 0) {
                continue;
            }
            // Over-signed names are listed once more than present: that instance stands for "no such field" and
            // adds nothing to the data (RFC 6376 5.4.2).
            int listed = present + (OVERSIGNED.contains(key) ? 1 : 0);
            for (int i = 0; i < listed; i++) {
                names.add(SIGNED.get(n));
            }
            // RFC 6376 5.4.2: several instances of a name are taken from the bottom up; the shared fields follow the
            // personal ones in the copy.
            for (int i = shared.size() - 1; i >= 0; i--) {
                data.write(shared.get(i));
            }
            for (int i = personalFields.size() - 1; i >= 0; i--) {
                data.write(personalFields.get(i));
            }
        }
        Unsigned unsigned = mine.unsigned(this, clock.millis() / 1000, body, names);
        data.write(unsigned.canonical);
        byte[] rsa;
        try {
            Signature s = mine.signature;
            s.update(data.buffer(), 0, data.size());
            rsa = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
        return (unsigned.text + foldedBase64(Base64.getEncoder().encodeToString(rsa)) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The field up to {@code b=}, as written and in relaxed form. It changes only with the second ({@code t=}), the
     * post ({@code bh=}) and the names signed (the same for every copy of a post, as a rule): each signing thread
     * keeps its last one rather than writing and canonicalising it again for each copy.
     */
    private record Unsigned(long time, PreparedBody body, List<String> names, String text, byte[] canonical) {
    }

    /** What a signing thread reuses from one copy to the next. */
    private static final class PerThread {
        final Signature signature;
        final ByteSink data = new ByteSink(2048);
        final List<String> names = new ArrayList<>(32);
        Unsigned last;

        PerThread(Signature signature) {
            this.signature = signature;
        }

        Unsigned unsigned(DkimSigner signer, long time, PreparedBody body, List<String> names) {
            Unsigned u = last;
            if (u != null && u.time == time && u.body == body && u.names.equals(names)) {
                return u;
            }
            String text = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=" + signer.domain + "; s="
                    + signer.selector + "; t=" + time + ";\r\n\th=" + foldedNames(names) + ";\r\n\tbh="
                    + body.bodyHash + ";\r\n\tb=";
            u = new Unsigned(time, body, List.copyOf(names), text,
                    RelaxedCanonicalization.header(text.getBytes(StandardCharsets.US_ASCII)));
            last = u;
            return u;
        }
    }

    /** The fields whose names are signed, canonicalised and ending in CRLF, by lower-case name, top to bottom. */
    private static Map<String, List<byte[]>> canonicalByName(List<HeaderBlock.Field> fields) {
        Map<String, List<byte[]>> byName = new HashMap<>();
        for (HeaderBlock.Field f : fields) {
            String key = f.name().toLowerCase(Locale.ROOT);
            if (!SIGNED_LOWER.contains(key)) {
                continue;
            }
            byte[] canonical = RelaxedCanonicalization.header(f.raw());
            byte[] line = Arrays.copyOf(canonical, canonical.length + 2);
            line[canonical.length] = '\r';
            line[canonical.length + 1] = '\n';
            byName.computeIfAbsent(key, k -> new ArrayList<>(1)).add(line);
        }
        return byName;
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
