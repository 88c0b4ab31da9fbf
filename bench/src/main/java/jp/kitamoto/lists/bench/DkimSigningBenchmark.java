package jp.kitamoto.lists.bench;

import jp.kitamoto.lists.mail.dkim.DkimSigner;
import jp.kitamoto.lists.mail.dkim.RsaProviders;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.mail.pipeline.PersonalHeaders;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast copies can be DKIM-signed, per RSA provider (the JDK's SunRsaSign, Conscrypt's BoringSSL, ACCP's AWS-LC): bare
 * RSA-2048 SHA256withRSA signatures per second on 1 and 2 threads, then recipients per second through
 * {@link DkimSigner#sign} (parse the personal fields, canonicalise the signed header fields, one RSA signature),
 * and the one-off body hash of a post. Usage: see bench/README.md.
 */
public final class DkimSigningBenchmark {
    private DkimSigningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(System.getProperty("seconds", "5"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        byte[] shared = sharedCopy(5 * 1024);
        List<Provider> providers = providers();
        System.out.println("| provider | threads | RSA signatures/s | recipients/s through DkimSigner |");
        System.out.println("|---|---:|---:|---:|");
        for (Provider p : providers) {
            for (int threads = 1; threads <= 2; threads++) {
                double rsa = rate(threads, seconds, () -> rsaSigner(p, key.getPrivate()));
                DkimSigner signer = new DkimSigner("ml.kitamoto.example", "kitamoto", key.getPrivate(), p, Clock.systemUTC());
                DkimSigner.PreparedBody body = signer.prepare(shared);
                double copies = rate(threads, seconds, () -> {
                    AtomicLong n = new AtomicLong();
                    return () -> signer.sign(PersonalHeaders.forRecipient("https://lists.kitamoto.example",
                            new ListAddresses("bunka", "ml.kitamoto.example"), "token" + n.incrementAndGet()), body);
                });
                System.out.printf("| %s | %d | %,.0f | %,.0f |%n", p.getName(), threads, rsa, copies);
            }
        }
        DkimSigner signer = new DkimSigner("ml.kitamoto.example", "kitamoto", key.getPrivate(), RsaProviders.jdk(), Clock.systemUTC());
        for (int kb : new int[]{5, 100, 1024}) {
            byte[] post = sharedCopy(kb * 1024);
            for (int i = 0; i < 20; i++) {
                signer.prepare(post); // warm-up
            }
            long t0 = System.nanoTime();
            int n = 50;
            for (int i = 0; i < n; i++) {
                signer.prepare(post);
            }
            System.out.printf("body hash (once per post) of %,d KB: %.2f ms%n", kb, (System.nanoTime() - t0) / 1e6 / n);
        }
    }

    /**
     * Bare RSA-2048 SHA256withRSA signatures per second with {@code threads} threads, for the fastest provider this
     * JVM can use (of the JDK's and Conscrypt's): the physical limit of signed delivery, one signature a copy.
     */
    static Map.Entry<String, Double> fastestSigningRate(int threads, long seconds) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey key = g.generateKeyPair().getPrivate();
        Map.Entry<String, Double> best = null;
        for (Provider p : providers()) {
            double r = rate(threads, seconds, () -> rsaSigner(p, key));
            if (best == null || r > best.getValue()) {
                best = Map.entry(p.getName(), r);
            }
        }
        return best;
    }

    /** The RSA-2048 signing rate of the provider named {@code provider} on {@code threads} threads. */
    static double signingRate(String provider, int threads, long seconds) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey key = g.generateKeyPair().getPrivate();
        Provider p = providers().stream().filter(x -> x.getName().equals(provider)).findFirst().orElseThrow();
        return rate(threads, seconds, () -> rsaSigner(p, key));
    }

    /** Every RSA provider that loads in this JVM. */
    static List<Provider> providers() {
        return java.util.stream.Stream.of(RsaProviders.jdk(), RsaProviders.conscrypt(), RsaProviders.corretto())
                .filter(java.util.Objects::nonNull).toList();
    }

    private static Runnable rsaSigner(Provider p, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA", p);
            s.initSign(key);
            byte[] data = new byte[900]; // about what a copy's canonicalised signed fields come to
            return () -> {
                try {
                    s.update(data);
                    s.sign();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a fresh task per thread (each with its own state) for a warm-up second and then {@code seconds}. */
    private static double rate(int threads, long seconds, java.util.function.Supplier<Runnable> task) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Runnable r = task.get();
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    r.run();
                    if (measuring.get()) {
                        count.incrementAndGet();
                    }
                }
            });
            ts.add(t);
            t.start();
        }
        Thread.sleep(1000); // warm-up: JIT, BoringSSL's first use
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000);
        long n = count.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        return n / elapsed;
    }

    private static byte[] sharedCopy(int bodyBytes) {
        StringBuilder b = new StringBuilder();
        b.append("From: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <bunka@ml.kitamoto.example>\r\n")
                .append("To: bunka@ml.kitamoto.example\r\nSubject: [bunka:00042] =?UTF-8?B?5a6a5L6L5Lya?=\r\n")
                .append("Date: Tue, 1 Dec 2026 09:00:00 +0900\r\nMessage-ID: <bench@example.jp>\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n")
                .append("Content-Transfer-Encoding: 8bit\r\nList-Id: bunka <bunka.ml.kitamoto.example>\r\n")
                .append("Received: from a by b\r\n\r\n");
        String line = "北本市の定例会のお知らせです。①㈱髙  \r\n";
        while (b.toString().getBytes(StandardCharsets.UTF_8).length < bodyBytes) {
            b.append(line);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
