package jp.kitamoto.lists.mail.delivery;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.store.DeliveryMapper.DueDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Protocol tier: the pipelining delivery client against scripted smarthosts on real sockets (port 0), with DATA.
 * {@link ChunkingClientTest} runs the same cases against a smarthost that offers CHUNKING.
 */
class PipeliningClientTest {
    private static final byte[] SHARED = ("From: a@example.jp\r\nSubject: t\r\n\r\nbody\r\n.starts with a dot\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final PreparedPost POST = new PreparedPost(1, new ListAddresses("bunka", "lists.example"),
            PostOrigin.SMTP, SHARED);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** smarthost.chunking-window of the clients made here. */
    int window = 16;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** The connections' view of delivery: a queue of copies and a record of outcomes, committed at once. */
    static final class FakeFlow implements CopyFlow {
        final Queue<Copy> queue = new ConcurrentLinkedDeque<>();
        final Map<String, SendResult> results = new ConcurrentHashMap<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        volatile boolean holdCommits;
        final List<Runnable> held = new CopyOnWriteArrayList<>();

        @Override
        public Copy next() {
            return queue.poll();
        }

        @Override
        public boolean hasWork() {
            return !queue.isEmpty();
        }

        @Override
        public void handBack(Copy copy) {
            ((ConcurrentLinkedDeque<Copy>) queue).addFirst(copy);
        }

        @Override
        public void report(List<Outcome> outcomes, Runnable done) {
            for (Outcome o : outcomes) {
                results.put(o.copy().row.recipient(), o.result());
                order.add(o.copy().row.recipient());
            }
            if (holdCommits) {
                held.add(done);
            } else {
                done.run();
            }
        }

        void releaseCommits() {
            holdCommits = false;
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    ScriptedSmarthost smarthost() throws Exception {
        ScriptedSmarthost s = new ScriptedSmarthost();
        toClose.add(s);
        return s;
    }

    SmarthostClient client(int port, int connections, FakeFlow flow, StartTls tls, SslContext ssl) {
        SmarthostClient c = new SmarthostClient(new SmarthostOptions("127.0.0.1", port, "lists.example", 2000, 3000,
                60_000, tls, ssl, window), connections, flow);
        toClose.add(() -> c.shutdown(5000));
        return c;
    }

    SmarthostClient client(int port, int connections, FakeFlow flow) {
        return client(port, connections, flow, StartTls.OFF, null);
    }

    static Copy copy(long id, String recipient) {
        DueDelivery row = new DueDelivery(id, 1, recipient, "tok" + id, 0, 0);
        return new Copy(row, POST, "bunka-bounces+tok" + id + "@lists.example", recipient,
                ("List-Unsubscribe: <https://lists.example/u/tok" + id + ">\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    static void enqueue(FakeFlow flow, int n) {
        for (int i = 1; i <= n; i++) {
            flow.queue.add(copy(i, "m" + i + "@example.jp"));
        }
    }

    static void awaitOutcomes(FakeFlow flow, int n) {
        await().atMost(Duration.ofSeconds(15)).until(() -> flow.results.size() == n);
    }

    @Test
    void pipelinedCopiesArriveWholeWithTheirPersonalHeaderAndStuffedDotsIntact() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.answerEnvelopeAfterData = true; // a lock-step client would wait for ever here
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 20);
        client(s.port(), 2, flow).kick();
        awaitOutcomes(flow, 20);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.messages).hasSize(20);
        ScriptedSmarthost.Message m = s.messages.stream().filter(x -> x.recipients().equals(List.of("m7@example.jp")))
                .findFirst().orElseThrow();
        assertThat(m.from()).isEqualTo("bunka-bounces+tok7@lists.example");
        assertThat(m.data()).isEqualTo("List-Unsubscribe: <https://lists.example/u/tok7>\r\n"
                + new String(SHARED, StandardCharsets.US_ASCII));
    }

    @Test
    void repliesArrivingInPiecesAreReassembled() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.inPieces = true;
        s.size = 10_000_000;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 5);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 5);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.messages).hasSize(5);
        assertThat(s.commands).anyMatch(c -> c.startsWith("MAIL FROM:<bunka-bounces+tok1@lists.example> SIZE="));
    }

    @Test
    void a4xxOnOneRcptInAPipelinedGroupDefersThatCopyOnly() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.script = (conn, t, cmd) -> cmd.startsWith("RCPT TO:<m3@") ? ScriptedSmarthost.Reply.of("451 4.3.0 try later") : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 6);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 6);
        assertThat(flow.results.get("m3@example.jp").kind()).isEqualTo(SendResult.Kind.TEMPORARY);
        assertThat(flow.results.get("m3@example.jp").reply()).startsWith("451 4.3.0");
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m2@example.jp", "m4@example.jp",
                "m5@example.jp", "m6@example.jp");
        assertThat(s.commands).contains("RSET");
        assertThat(s.connections.get()).isEqualTo(1);
    }

    @Test
    void a5xxIsPermanentAndTheNextCopiesStillGo() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.script = (conn, t, cmd) -> cmd.startsWith("RCPT TO:<m2@") ? ScriptedSmarthost.Reply.of("550 5.1.1 unknown") : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 3);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 3);
        assertThat(flow.results.get("m2@example.jp").kind()).isEqualTo(SendResult.Kind.PERMANENT);
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m3@example.jp");
    }

    @Test
    void a5xxToRcptDataOrTheMessageIsARefusalOfTheRecipientButA5xxToMailIsNot() throws Exception {
        for (boolean pipelining : new boolean[]{true, false}) {
            ScriptedSmarthost s = smarthost();
            s.pipelining = pipelining;
            s.script = (conn, t, cmd) -> {
                if (cmd.startsWith("RCPT TO:<m2@")) {
                    return ScriptedSmarthost.Reply.of("550 5.1.1 unknown");
                }
                if (cmd.startsWith("MAIL FROM:<bunka-bounces+tok3@")) {
                    return ScriptedSmarthost.Reply.of("553 5.7.1 sender refused");
                }
                if (cmd.equals("DATA") && t == 4) {
                    return ScriptedSmarthost.Reply.of("554 5.7.1 no");
                }
                if (cmd.equals(".") && t == 5) {
                    return ScriptedSmarthost.Reply.of("554 5.6.0 content refused");
                }
                return null;
            };
            FakeFlow flow = new FakeFlow();
            for (int i = 1; i <= 6; i++) {
                flow.queue.add(copy(i, "m" + i + "@example.jp"));
            }
            client(s.port(), 1, flow).kick();
            awaitOutcomes(flow, 6);
            String mode = pipelining ? "pipelining" : "lock-step";
            assertThat(flow.results.get("m1@example.jp").kind()).as(mode).isEqualTo(SendResult.Kind.SENT);
            assertThat(flow.results.get("m2@example.jp")).as(mode)
                    .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, true);
            assertThat(flow.results.get("m3@example.jp")).as(mode)
                    .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, false);
            assertThat(flow.results.get("m4@example.jp")).as(mode)
                    .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, true);
            assertThat(flow.results.get("m5@example.jp")).as(mode)
                    .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, true);
            assertThat(flow.results.get("m6@example.jp").kind()).as(mode).isEqualTo(SendResult.Kind.SENT);
        }
    }

    @Test
    void a421InTheMiddleOfABatchSendsOnlyTheUnfinishedCopiesAgainOnAFreshConnection() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.script = (conn, t, cmd) -> conn == 1 && t == 3 && cmd.startsWith("MAIL")
                ? ScriptedSmarthost.Reply.closing("421 4.3.2 Service shutting down") : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 6);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 6);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.recipients()).hasSize(6).doesNotHaveDuplicates();
        assertThat(s.connections.get()).isEqualTo(2);
    }

    @Test
    void aConnectionTheSmarthostDroppedIsReopenedForTheSameCopy() throws Exception {
        ScriptedSmarthost s = smarthost();
        // After the first copy, the first connection dies without a word (as after an idle timeout).
        s.script = (conn, t, cmd) -> conn == 1 && t == 2 && cmd.startsWith("MAIL")
                ? new ScriptedSmarthost.Reply(null, true) : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 3);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 3);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m2@example.jp", "m3@example.jp");
    }

    @Test
    void aCopyWhoseConnectionDiesTwiceWaitsForTheBackOff() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.script = (conn, t, cmd) -> cmd.startsWith("RCPT TO:<m2@") ? new ScriptedSmarthost.Reply(null, true) : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 3);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 3);
        assertThat(flow.results.get("m2@example.jp").kind()).isEqualTo(SendResult.Kind.TEMPORARY);
        assertThat(flow.results.get("m2@example.jp").reply()).contains("connection");
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m3@example.jp");
    }

    @Test
    void aServerWithoutPipeliningGetsOneCommandAtATime() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.pipelining = false;
        s.script = (conn, t, cmd) -> cmd.startsWith("RCPT TO:<m2@") ? ScriptedSmarthost.Reply.of("550 5.1.1 unknown") : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 4);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 4);
        assertThat(s.earlyCommands).isEmpty();
        assertThat(flow.results.get("m2@example.jp").kind()).isEqualTo(SendResult.Kind.PERMANENT);
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m3@example.jp", "m4@example.jp");
    }

    @Test
    void theNextCopysContentWaitsUntilTheOutcomeBeforeItIsCommitted() throws Exception {
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        flow.holdCommits = true;
        enqueue(flow, 3);
        client(s.port(), 1, flow).kick();
        await().atMost(Duration.ofSeconds(10)).until(() -> flow.results.size() == 1);
        // The second envelope may go ahead (its DATA is answered), but not its content: a crash now would
        // re-send at most the one copy the smarthost has and we have not recorded.
        await().atMost(Duration.ofSeconds(10)).until(() -> s.commands.stream().filter(c -> c.equals("DATA")).count() == 2);
        assertThat(s.messages).hasSize(1);
        flow.releaseCommits();
        awaitOutcomes(flow, 3);
        assertThat(s.messages).hasSize(3);
    }

    @Test
    void anAddressThatCannotGoOnTheWireIsRefusedWithoutSendingAndTheOtherCopiesGo() throws Exception {
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        flow.queue.add(copy(1, "m1@example.jp"));
        flow.queue.add(copy(2, "山田@example.jp")); // not ASCII: written as ASCII it would be "??@example.jp"
        flow.queue.add(copy(3, "m3@example.jp>\r\nRCPT TO:<intruder@example.net")); // a command smuggled in
        flow.queue.add(copy(4, "m4@example.jp"));
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 4);
        assertThat(flow.results.get("m1@example.jp").kind()).isEqualTo(SendResult.Kind.SENT);
        assertThat(flow.results.get("m4@example.jp").kind()).isEqualTo(SendResult.Kind.SENT);
        assertThat(flow.results.get("山田@example.jp").kind()).isEqualTo(SendResult.Kind.PERMANENT);
        assertThat(flow.results.get("山田@example.jp").reply()).startsWith("553 5.6.7");
        assertThat(flow.results.get("m3@example.jp>\r\nRCPT TO:<intruder@example.net").reply()).startsWith("553 5.1.3");
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m4@example.jp");
        assertThat(s.commands).noneMatch(c -> c.contains("intruder") || c.contains("?"));
    }

    @Test
    void aCopyOfSeveralMegabytesArrivesWholeInSlices() throws Exception {
        // Larger than a slice (ByteArraysInput.SLICE) and than the write buffer: the octets go out as the socket
        // takes them, and must still arrive complete and in order, after their personal header block.
        StringBuilder body = new StringBuilder("From: a@example.jp\r\nSubject: flyer\r\n\r\n");
        for (int i = 0; body.length() < 3 * 1024 * 1024; i++) {
            body.append(i % 97 == 0 ? ".a line that starts with a dot " : "line ").append(i).append("\r\n");
        }
        byte[] shared = body.toString().getBytes(StandardCharsets.US_ASCII);
        PreparedPost big = new PreparedPost(2, new ListAddresses("bunka", "lists.example"), PostOrigin.SMTP, shared);
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        for (int i = 1; i <= 3; i++) {
            DueDelivery row = new DueDelivery(i, 2, "m" + i + "@example.jp", "tok" + i, 0, 0);
            flow.queue.add(new Copy(row, big, "bunka-bounces+tok" + i + "@lists.example", "m" + i + "@example.jp",
                    ("List-Unsubscribe: <https://lists.example/u/tok" + i + ">\r\n").getBytes(StandardCharsets.US_ASCII)));
        }
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 3);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.messages).hasSize(3);
        for (ScriptedSmarthost.Message m : s.messages) {
            String token = m.from().substring("bunka-bounces+".length(), m.from().indexOf('@'));
            assertThat(m.data()).isEqualTo("List-Unsubscribe: <https://lists.example/u/" + token + ">\r\n"
                    + new String(shared, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aCopyLargerThanTheSmarthostsSizeIsRefusedWithoutSending() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.size = 60;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 1);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 1);
        assertThat(flow.results.get("m1@example.jp").kind()).isEqualTo(SendResult.Kind.PERMANENT);
        assertThat(flow.results.get("m1@example.jp").reply()).contains("SIZE 60");
        assertThat(s.commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void aSmarthostThatIsDownIsATemporaryFailure() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 2);
        client(port, 1, flow).kick();
        awaitOutcomes(flow, 2);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.TEMPORARY
                && r.reply().contains("cannot connect"));
    }

    @Test
    void starttlsRequiredSendsOnlyOverTlsWithAVerifiedCertificate() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.starttls = true;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 3);
        client(s.port(), 1, flow, StartTls.REQUIRED, trustingTestCertificate()).kick();
        awaitOutcomes(flow, 3);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.messages).hasSize(3).allMatch(ScriptedSmarthost.Message::tls);
        assertThat(s.commands.stream().filter(c -> c.startsWith("EHLO")).count()).as("EHLO again after TLS").isEqualTo(2);
    }

    @Test
    void starttlsRequiredRefusesASmarthostWithoutIt() throws Exception {
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 1);
        client(s.port(), 1, flow, StartTls.REQUIRED, trustingTestCertificate()).kick();
        awaitOutcomes(flow, 1);
        assertThat(flow.results.get("m1@example.jp").kind()).isEqualTo(SendResult.Kind.TEMPORARY);
        assertThat(flow.results.get("m1@example.jp").reply()).contains("does not offer STARTTLS");
        assertThat(s.messages).isEmpty();
    }

    @Test
    void starttlsRequiredRefusesACertificateItCannotVerify() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.starttls = true;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 1);
        client(s.port(), 1, flow, StartTls.REQUIRED, SmarthostOptions.sslContextFor(StartTls.REQUIRED)).kick();
        awaitOutcomes(flow, 1);
        assertThat(flow.results.get("m1@example.jp").kind()).isEqualTo(SendResult.Kind.TEMPORARY);
        assertThat(flow.results.get("m1@example.jp").reply()).contains("TLS");
        assertThat(s.messages).isEmpty();
    }

    @Test
    void opportunisticStarttlsUsesTlsWhenOffered() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.starttls = true;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 1);
        client(s.port(), 1, flow, StartTls.OPPORTUNISTIC, SmarthostOptions.sslContextFor(StartTls.OPPORTUNISTIC)).kick();
        awaitOutcomes(flow, 1);
        assertThat(s.messages).hasSize(1).allMatch(ScriptedSmarthost.Message::tls);
    }

    private static SslContext trustingTestCertificate() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = PipeliningClientTest.class.getResourceAsStream("/tls/smarthost.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        return SslContextBuilder.forClient().trustManager((X509Certificate) ks.getCertificate("smarthost")).build();
    }
}
