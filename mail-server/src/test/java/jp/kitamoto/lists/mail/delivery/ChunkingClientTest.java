package jp.kitamoto.lists.mail.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Protocol tier, CHUNKING (RFC 3030): every case of {@link PipeliningClientTest} against a smarthost that offers
 * CHUNKING with PIPELINING (the client then writes MAIL, RCPT, BDAT and the copy's octets for several copies ahead),
 * plus what only this mode has: transactions written ahead without a reply, the window of unrecorded copies, and a
 * server left in a bad sequence by a refused chunk.
 */
class ChunkingClientTest extends PipeliningClientTest {

    @Override
    ScriptedSmarthost smarthost() throws Exception {
        ScriptedSmarthost s = super.smarthost();
        s.chunking = true;
        return s;
    }

    @Test
    void copiesGoAsBdatWithTheirOctetsNotDotStuffed() throws Exception {
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 3);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 3);
        assertThat(s.commands).noneMatch(c -> c.equals("DATA"));
        assertThat(s.commands).filteredOn(c -> c.startsWith("BDAT ")).hasSize(3).allMatch(c -> c.endsWith(" LAST"));
        // BDAT counts octets: the line that starts with a dot arrives as it is, not doubled.
        assertThat(s.messages).allMatch(m -> m.data().contains("\r\n.starts with a dot\r\n")
                && !m.data().contains("..starts"));
    }

    @Test
    void transactionsAreWrittenAheadWithoutWaitingForReplies() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.answerAfterChunks = 5; // answers nothing until five BDATs have come: a client that waits gets nowhere
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 5);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 5);
        assertThat(flow.results.values()).allMatch(r -> r.kind() == SendResult.Kind.SENT);
        assertThat(s.recipients()).hasSize(5).doesNotHaveDuplicates();
    }

    @Override
    @Test
    void theNextCopysContentWaitsUntilTheOutcomeBeforeItIsCommitted() throws Exception {
        // The crash rule with CHUNKING: at most `window` copies of a connection sent and not recorded.
        window = 2;
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        flow.holdCommits = true;
        enqueue(flow, 5);
        client(s.port(), 1, flow).kick();
        await().atMost(Duration.ofSeconds(10)).until(() -> flow.results.size() == 2);
        // Both replies are in and reported but not committed: nothing more may leave.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> s.messages.size() == 2);
        assertThat(s.commands).filteredOn(c -> c.startsWith("BDAT ")).hasSize(2);
        flow.releaseCommits();
        awaitOutcomes(flow, 5);
        assertThat(s.messages).hasSize(5);
    }

    @Override
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
        assertThat(flow.results.get("m3@example.jp").recipientRefused()).isFalse();
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m2@example.jp", "m4@example.jp",
                "m5@example.jp", "m6@example.jp");
        assertThat(s.connections.get()).isEqualTo(1);
    }

    @Override
    @Test
    void a5xxToRcptDataOrTheMessageIsARefusalOfTheRecipientButA5xxToMailIsNot() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.script = (conn, t, cmd) -> {
            if (cmd.startsWith("RCPT TO:<m2@")) {
                return ScriptedSmarthost.Reply.of("550 5.1.1 unknown");
            }
            if (cmd.startsWith("MAIL FROM:<bunka-bounces+tok3@")) {
                return ScriptedSmarthost.Reply.of("553 5.7.1 sender refused");
            }
            if (cmd.startsWith("BDAT ") && t == 4) {
                return ScriptedSmarthost.Reply.of("554 5.6.0 content refused");
            }
            return null;
        };
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 5);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 5);
        assertThat(flow.results.get("m1@example.jp").kind()).isEqualTo(SendResult.Kind.SENT);
        assertThat(flow.results.get("m2@example.jp"))
                .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, true);
        assertThat(flow.results.get("m3@example.jp"))
                .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, false);
        assertThat(flow.results.get("m4@example.jp"))
                .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, true);
        assertThat(flow.results.get("m5@example.jp").kind()).isEqualTo(SendResult.Kind.SENT);
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m5@example.jp");
    }

    @Test
    void aServerStuckAfterARefusedChunkGetsRsetAndTheCopiesWrittenBehindItGoAgain() throws Exception {
        ScriptedSmarthost s = smarthost();
        s.stuckAfterRefusedChunk = true;
        s.answerAfterChunks = 6; // all six written before the first answer
        s.script = (conn, t, cmd) -> cmd.startsWith("RCPT TO:<m2@") ? ScriptedSmarthost.Reply.of("550 5.1.1 unknown") : null;
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 6);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 6);
        assertThat(flow.results.get("m2@example.jp"))
                .extracting(SendResult::kind, SendResult::recipientRefused).containsExactly(SendResult.Kind.PERMANENT, true);
        // The 503s behind the refusal were ours, not the members': their copies went again after an RSET.
        for (String m : List.of("m1", "m3", "m4", "m5", "m6")) {
            assertThat(flow.results.get(m + "@example.jp").kind()).as(m).isEqualTo(SendResult.Kind.SENT);
        }
        assertThat(s.recipients()).containsExactlyInAnyOrder("m1@example.jp", "m3@example.jp", "m4@example.jp",
                "m5@example.jp", "m6@example.jp");
        assertThat(s.commands).contains("RSET");
        assertThat(s.connections.get()).isEqualTo(1);
    }

    @Test
    void windowZeroNeverUsesChunking() throws Exception {
        window = 0;
        ScriptedSmarthost s = smarthost();
        FakeFlow flow = new FakeFlow();
        enqueue(flow, 2);
        client(s.port(), 1, flow).kick();
        awaitOutcomes(flow, 2);
        assertThat(s.commands).noneMatch(c -> c.startsWith("BDAT")).contains("DATA");
        assertThat(s.messages).hasSize(2);
    }
}
