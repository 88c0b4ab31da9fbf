package jp.kitamoto.lists.mail.dkim;

import jp.kitamoto.lists.mail.pipeline.PersonalHeaders;
import jp.kitamoto.lists.testing.Dkimpy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.List;
import java.time.Clock;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The signer against an independent verifier (dkimpy), and its canonicalisation against RFC 6376's examples. */
class DkimSignerTest {
    static final String DOMAIN = "ml.kitamoto.example";
    static DkimKeys.Loaded key;
    static DkimPublication record;

    @BeforeAll
    static void key(@TempDir Path dir) throws Exception {
        key = DkimKeys.loadOrCreate(dir.resolve("dkim/kitamoto.pem"));
        record = new DkimPublication(true, DOMAIN, "kitamoto", key.publicKeyBase64(), "");
    }

    private static DkimSigner signer(Provider provider) {
        // The real clock: dkimpy refuses a t= in its future.
        return new DkimSigner(DOMAIN, "kitamoto", key.privateKey(), provider, Clock.systemUTC());
    }

    /** A decorated copy as the pipeline leaves it: ISO-2022-JP subject, 8-bit UTF-8 body (①㈱髙), list fields. */
    static byte[] shared() {
        String subject = "=?ISO-2022-JP?B?" + Base64.getEncoder().encodeToString(
                "定例会のお知らせ".getBytes(Charset.forName("ISO-2022-JP"))) + "?=";
        String headers = "From: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <yamada@example.jp>\r\n"
                + "To: bunka@" + DOMAIN + "\r\n"
                + "Subject: [bunka:00042] " + subject + "\r\n"
                + "Date: Tue, 1 Dec 2026 09:00:00 +0900\r\n"
                + "Message-ID: <post-42@example.jp>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "List-Id: =?UTF-8?B?5paH5YyW?= <bunka." + DOMAIN + ">\r\n"
                + "Received: from a\r\n\tby b; Tue, 1 Dec 2026 09:00:00 +0900\r\n"
                + "Received: from c by d\r\n";
        String body = "皆様  \r\n\r\n①㈱髙の件です。\t \r\n\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headers.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] personal(String token) {
        return PersonalHeaders.forRecipient("https://lists.kitamoto.example", new jp.kitamoto.lists.domain.ListAddresses("bunka", DOMAIN), token);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] signedCopy(DkimSigner signer, byte[] personal, byte[] shared) {
        DkimSigner.PreparedBody body = signer.prepare(shared);
        return concat(signer.sign(personal, body), personal, shared);
    }

    @Test
    void relaxedBodyIsRfc6376Example() throws Exception {
        // RFC 6376 section 3.4.6: " C \r\nD \t E\r\n\r\n\r\n" becomes " C\r\nD E\r\n".
        assertThat(bodyCanon(" C \r\nD \t E\r\n\r\n\r\n")).isEqualTo(" C\r\nD E\r\n");
        assertThat(bodyCanon("")).isEmpty();
        assertThat(bodyCanon("\r\n\r\n")).isEmpty();
        assertThat(bodyCanon("no final line end")).isEqualTo("no final line end\r\n");
        // Bare LF and bare CR end lines, as our SMTP client writes them as CRLF.
        assertThat(bodyCanon("a\nb\rc\r\n\n")).isEqualTo("a\r\nb\r\nc\r\n");
    }

    @Test
    void relaxedHeaderIsRfc6376Example() {
        assertThat(latin1(RelaxedCanonicalization.header(latin1("A: X\r\n")))).isEqualTo("a:X");
        assertThat(latin1(RelaxedCanonicalization.header(latin1("B : Y\t\r\n\tZ  \r\n")))).isEqualTo("b:Y Z");
        assertThat(latin1(RelaxedCanonicalization.header(latin1("Subject:\t\u00e4 x\r\n")))).isEqualTo("subject:\u00e4 x");
    }

    /** Feeds the canonicaliser a recording digest: what it would hash. */
    private static String bodyCanon(String body) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        MessageDigest recording = new MessageDigest("recording") {
            @Override
            protected void engineUpdate(byte input) {
                seen.write(input);
            }

            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                seen.write(input, offset, len);
            }

            @Override
            protected byte[] engineDigest() {
                return new byte[0];
            }

            @Override
            protected void engineReset() {
            }
        };
        byte[] b = latin1(body);
        RelaxedCanonicalization.body(b, 0, b.length, recording);
        return latin1(seen.toByteArray());
    }

    @Test
    void aSignedCopyVerifiesWithDkimpyWithEveryProvider() throws Exception {
        assumeTrue(Dkimpy.available(), "dkimpy (Debian python3-dkim) is not installed");
        List<Provider> providers = java.util.stream.Stream.of(RsaProviders.jdk(), RsaProviders.conscrypt(),
                RsaProviders.corretto()).filter(java.util.Objects::nonNull).toList();
        // On the x86-64 Linux machines we build on, all three load: the fastest is not a silent fallback.
        assertThat(RsaProviders.fastest().getName()).isEqualTo(providers.get(providers.size() - 1).getName());
        for (Provider provider : providers) {
            byte[] copy = signedCopy(signer(provider), personal("tok-1"), shared());
            Dkimpy.Result r = Dkimpy.verify(copy, record.txtValue());
            assertThat(r.pass()).as(provider.getName() + ":\n" + latin1(copy) + "\n" + r.log()).isTrue();
        }
    }

    @Test
    void theSignatureCoversTheListFieldsAndOverSignsFromSubjectAndListUnsubscribe() {
        String field = latin1(signer(RsaProviders.jdk()).sign(personal("tok"), signer(RsaProviders.jdk()).prepare(shared())));
        String h = field.replaceAll("\r\n\t", "").replaceAll("(?s).*;h=([^;]*);.*", "$1");
        assertThat(h.split(":")).containsSubsequence("From", "From", "To", "To", "Subject", "Subject", "Date",
                "Message-ID", "List-Id", "List-Id", "List-Unsubscribe", "List-Unsubscribe", "List-Unsubscribe-Post",
                "List-Unsubscribe-Post", "MIME-Version", "MIME-Version", "Content-Type", "Content-Type");
        assertThat(h).doesNotContain("Received").doesNotContain("Reply-To").doesNotContain("Cc");
        assertThat(field).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=" + DOMAIN + "; s=kitamoto; t=")
                .endsWith("\r\n");
        for (String line : field.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
        }
    }

    @Test
    void aChangedBodyByteOrUnsubscribeValueOrAnAddedFromFailsVerification() throws Exception {
        assumeTrue(Dkimpy.available(), "dkimpy (Debian python3-dkim) is not installed");
        DkimSigner signer = signer(RsaProviders.fastest());
        byte[] copy = signedCopy(signer, personal("tok-1"), shared());
        assertThat(Dkimpy.verify(copy, record.txtValue()).pass()).isTrue();

        String text = latin1(copy);
        byte[] bodyChanged = copy.clone();
        int letter = text.lastIndexOf(latin1("件".getBytes(StandardCharsets.UTF_8)));
        bodyChanged[letter + 2] ^= 1; // the last byte of 件 in the 8-bit UTF-8 body
        assertThat(Dkimpy.verify(bodyChanged, record.txtValue()).pass()).as("one body byte").isFalse();

        byte[] otherToken = latin1(text.replace("/u/tok-1", "/u/tok-2"));
        assertThat(Dkimpy.verify(otherToken, record.txtValue()).pass()).as("List-Unsubscribe value").isFalse();

        int sharedStart = text.indexOf("From: ");
        byte[] addedFrom = latin1(text.substring(0, sharedStart) + "From: ceo@example.com\r\n" + text.substring(sharedStart));
        assertThat(Dkimpy.verify(addedFrom, record.txtValue()).pass()).as("an added From (over-signed)").isFalse();

        // A Received field added on the way (what every relay does) leaves it valid.
        byte[] relayed = concat(latin1("Received: from relay by mx; Tue, 1 Dec 2026 09:00:01 +0900\r\n"), copy);
        assertThat(Dkimpy.verify(relayed, record.txtValue()).pass()).isTrue();
    }

    @Test
    void storedBareLineFeedsVerifyAsTheWireCarriesThem() throws Exception {
        assumeTrue(Dkimpy.available(), "dkimpy (Debian python3-dkim) is not installed");
        byte[] lfShared = latin1(latin1(shared()).replace("\r\n", "\n"));
        byte[] copy = signedCopy(signer(RsaProviders.jdk()), personal("tok-1"), lfShared);
        // Our SMTP client writes every bare LF as CRLF; verify what the receiver gets.
        byte[] onTheWire = latin1(latin1(copy).replace("\r\n", "\n").replace("\n", "\r\n"));
        assertThat(Dkimpy.verify(onTheWire, record.txtValue()).pass()).isTrue();
    }

    @Test
    void theBodyIsHashedOncePerPostAndEveryCopyGetsItsOwnSignature() throws Exception {
        assumeTrue(Dkimpy.available(), "dkimpy (Debian python3-dkim) is not installed");
        DkimCopySigner copies = new DkimCopySigner(signer(RsaProviders.jdk()));
        byte[] shared = shared();
        byte[] a = copies.sign(7, personal("tok-a"), shared);
        byte[] b = copies.sign(7, personal("tok-b"), shared);
        assertThat(latin1(a)).startsWith("DKIM-Signature: ").contains("/u/tok-a");
        assertThat(Dkimpy.verify(concat(a, shared), record.txtValue()).pass()).isTrue();
        assertThat(Dkimpy.verify(concat(b, shared), record.txtValue()).pass()).isTrue();
        assertThat(bh(a)).isEqualTo(bh(b));
        assertThat(copies.body(7, shared)).as("hashed once, then cached").isSameAs(copies.body(7, shared));
        assertThat(copies.body(7, shared.clone())).as("other bytes under the same id are hashed again")
                .isNotSameAs(copies.body(7, shared));
    }

    @Test
    void copiesOfTwoPostsAndOfOtherPersonalFieldsSignedInTurnOnOneThreadEachVerify() throws Exception {
        // The signing thread keeps the last signature field up to b= (same second, same post, same names): a copy of
        // another post, or one with another set of personal fields, must never be signed with a stale one.
        assumeTrue(Dkimpy.available(), "dkimpy (Debian python3-dkim) is not installed");
        DkimCopySigner copies = new DkimCopySigner(signer(RsaProviders.fastest()));
        byte[] first = shared();
        byte[] second = latin1(latin1(shared()).replace("post-42@", "post-43@") + "PS\r\n");
        byte[] withReplyTo = concat(personal("tok-c"), latin1("Reply-To: yamada@example.jp\r\n"));
        byte[][][] sequence = {
                {copies.sign(1, personal("tok-a"), first), first},
                {copies.sign(2, personal("tok-b"), second), second},
                {copies.sign(1, withReplyTo, first), first},
                {copies.sign(1, personal("tok-d"), first), first},
        };
        for (byte[][] copy : sequence) {
            assertThat(Dkimpy.verify(concat(copy[0], copy[1]), record.txtValue()).pass())
                    .as(latin1(copy[0])).isTrue();
        }
        assertThat(bh(sequence[0][0])).isNotEqualTo(bh(sequence[1][0]));
        assertThat(latin1(sequence[2][0]).replace("\r\n\t", "")).contains("Reply-To");
    }

    private static String bh(byte[] field) {
        return latin1(field).replaceAll("\r\n\t", "").replaceAll("(?s).*bh=([^;]*);.*", "$1");
    }

    @Test
    void aNewKeyIsPrivateToTheServerAndReadBackTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/dkim/kitamoto.pem");
        DkimKeys.Loaded created = DkimKeys.loadOrCreate(file);
        assertThat(created.created()).isTrue();
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(created.privateKey().getModulus().bitLength()).isEqualTo(2048);

        DkimKeys.Loaded again = DkimKeys.loadOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.publicKeyBase64()).isEqualTo(created.publicKeyBase64());
    }

    @Test
    void anOpendkimStylePkcs1KeyIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("opendkim.private");
        Process p = new ProcessBuilder("openssl", "genrsa", "-traditional", "-out", file.toString(), "2048")
                .redirectErrorStream(true).start();
        assumeTrue(p.waitFor() == 0, "openssl is needed to make a PKCS#1 key");
        assertThat(Files.readString(file)).contains("BEGIN RSA PRIVATE KEY");
        DkimKeys.Loaded k = DkimKeys.read(file);
        assertThat(k.privateKey().getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void theZoneLineSplitsTheValueIntoStringsDnsCanHold() {
        String zone = record.zoneLine();
        assertThat(zone).startsWith("kitamoto._domainkey." + DOMAIN + ". IN TXT ( \"v=DKIM1; k=rsa; p=");
        assertThat(zone.replaceAll("\" \"", "")).contains(record.txtValue());
        for (String chunk : zone.split("\"")) {
            assertThat(chunk.length()).isLessThanOrEqualTo(255);
        }
    }
}
