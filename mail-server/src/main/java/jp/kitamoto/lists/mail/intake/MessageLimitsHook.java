package jp.kitamoto.lists.mail.intake;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.mime.MalformedMessageException;
import jp.kitamoto.lists.mime.MimeEntity;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Refuses, at the end of DATA and before anything is stored, a message whose shape no member's mail needs and whose
 * handling would cost every later step: a header block over {@code max-header-bytes} or {@code max-header-fields}
 * (552 5.3.4), MIME multiparts nested deeper than {@code max-mime-depth}
 * or with more than {@code max-mime-parts} parts (554 5.6.0). Refusing in the SMTP dialogue tells the sender's own server, which tells the sender; nothing
 * is accepted and bounced later. Why these limits refuse rather than keep: see README, "Limits of the intake".
 */
final class MessageLimitsHook implements MessageHook {
    private final Settings.Smtp.Limits limits;

    MessageLimitsHook(Settings.Smtp.Limits limits) {
        this.limits = limits;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        byte[] raw;
        try {
            raw = BufferedEnvelope.bytesOf(mail);
        } catch (IOException e) {
            return HookResult.DECLINED; // StoreMessageHook reads it again and answers 451
        }
        Optional<HookResult> refusal = check(raw, limits);
        refusal.ifPresent(r -> {
            RefusalLog.message(session, mail, r.getSmtpRetCode() + " " + r.getSmtpDescription());
            BufferedEnvelope.release(mail);
        });
        return refusal.orElse(HookResult.DECLINED);
    }

    static Optional<HookResult> check(byte[] raw, Settings.Smtp.Limits limits) {
        return checkHeader(raw, limits).or(() -> checkMime(raw, limits));
    }

    /**
     * Measures the header block the way {@link MimeEntity} reads it: it ends at the first empty line, or at the first
     * line that is neither a field nor a continuation. Stops reading as soon as a limit is passed.
     */
    static Optional<HookResult> checkHeader(byte[] raw, Settings.Smtp.Limits limits) {
        int pos = 0;
        int fields = 0;
        while (pos < raw.length) {
            int end = pos;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            int next = Math.min(end + 1, raw.length);
            boolean empty = end == pos || (end == pos + 1 && raw[pos] == '\r');
            if (empty) {
                break;
            }
            // A header line over RFC 5322's 998 octets is read, not refused (an MTA accepts it too): the pipeline's
            // last pass (WireSafetyStep.lastResort) folds it before any copy leaves.
            boolean continuation = raw[pos] == ' ' || raw[pos] == '\t';
            if (!continuation) {
                if (!hasColon(raw, pos, end)) {
                    break;
                }
                if (++fields > limits.maxHeaderFields()) {
                    return Optional.of(SmtpReplies.headerTooBig("more than " + limits.maxHeaderFields() + " fields"));
                }
            }
            if (next > limits.maxHeaderBytes()) {
                return Optional.of(SmtpReplies.headerTooBig("more than " + limits.maxHeaderBytes() + " bytes"));
            }
            pos = next;
        }
        return Optional.empty();
    }

    private static boolean hasColon(byte[] raw, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == ':') {
                return true;
            }
        }
        return false;
    }

    /** Walks the parsed tree iteratively (a recursive walk of hostile input is how stacks overflow). */
    static Optional<HookResult> checkMime(byte[] raw, Settings.Smtp.Limits limits) {
        MimeEntity root;
        try {
            root = MimeEntity.parse(raw);
        } catch (MalformedMessageException e) {
            return Optional.empty(); // StoreMessageHook refuses it with the parser's reason
        }
        record Node(MimeEntity entity, int depth) {
        }
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(new Node(root, 0));
        int parts = 0;
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!n.entity().isMultipart()) {
                continue;
            }
            // A multipart at depth d is nesting level d + 1; MimeEntity does not split the 21st level at all.
            if (n.depth() >= limits.maxMimeDepth()) {
                return Optional.of(SmtpReplies.mimeTooComplex("multiparts nested more than " + limits.maxMimeDepth()
                        + " levels deep"));
            }
            for (MimeEntity child : n.entity().parts()) {
                if (++parts > limits.maxMimeParts()) {
                    return Optional.of(SmtpReplies.mimeTooComplex("more than " + limits.maxMimeParts() + " parts"));
                }
                todo.push(new Node(child, n.depth() + 1));
            }
        }
        return Optional.empty();
    }
}
