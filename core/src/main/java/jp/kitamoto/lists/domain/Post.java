package jp.kitamoto.lists.domain;

/** A message accepted by the intake, kept whole ({@code raw}) whatever its fate. */
public record Post(long id, long listId, PostOrigin origin, Long sequence, String messageId, String envelopeFrom,
                   String sender, String subject, byte[] raw, byte[] prepared, PostState state, String reasons,
                   long receivedAt, Long decidedAt) {
}
