package jp.kitamoto.lists.mail.posting;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;

import java.util.List;
import java.util.Optional;

/**
 * A message parsed once on its way in, with its bytes as received (stored unchanged in {@code posts.raw}).
 *
 * <p>The pipeline edits the tree in place (steps add header fields, replace bodies, wrap parts), so the tree can be
 * read by the rules of every list the message was sent to, but decorated only once. {@link #treeToDecorate()} hands
 * the parsed tree itself to the first decoration, and parses the bytes again for each further one: sharing one tree
 * between two lists would put the first list's subject prefix, List-Id and footer into the second list's copy, and
 * a deep copy would cost what a parse costs. So a message to one list (nearly all) is parsed once; a message to
 * two lists, twice. Whoever decorates must have finished reading {@link #tree()} first; reading it after the
 * hand-over throws, so a wrong order fails loudly instead of deciding on a decorated message.
 */
final class ParsedMessage {
    private final byte[] raw;
    private final MimeEntity tree;
    // What every path records, read before any decoration can change it.
    private final Optional<String> messageId;
    private final String subject;
    private final Optional<String> fromAddress;
    private boolean handedOver;

    private ParsedMessage(byte[] raw, MimeEntity tree) {
        this.raw = raw;
        this.tree = tree;
        this.messageId = tree.rawValue("Message-ID");
        this.subject = HeaderWords.decode(tree.rawValue("Subject").orElse(""));
        this.fromAddress = tree.rawValue("From").flatMap(Addresses::extract);
    }

    /** Throws {@link jp.kitamoto.lists.mime.MalformedMessageException} for bytes that are not a message. */
    static ParsedMessage parse(byte[] raw) {
        return new ParsedMessage(raw, MimeEntity.parse(raw));
    }

    /** What the liberal reading forgave (empty for a well-formed message); see MimeEntity#defects. */
    List<String> defects() {
        return tree.defects();
    }

    byte[] raw() {
        return raw;
    }

    /** The tree as received, for reading only. */
    MimeEntity tree() {
        if (handedOver) {
            throw new IllegalStateException("the parsed message was handed to the pipeline and may be decorated");
        }
        return tree;
    }

    /** A tree nobody else reads or edits, for the pipeline. */
    MimeEntity treeToDecorate() {
        if (handedOver) {
            return MimeEntity.parse(raw);
        }
        handedOver = true;
        return tree;
    }

    Optional<String> messageId() {
        return messageId;
    }

    /** The subject as received, decoded, for display and the moderators' notice; empty if there is none. */
    String subject() {
        return subject;
    }

    /** The address in From as received, if there is a readable one. */
    Optional<String> fromAddress() {
        return fromAddress;
    }
}
