package jp.kitamoto.lists.domain;

public record InboundCommand(long id, long listId, CommandKind command, String token, String envelopeFrom,
                             byte[] raw, CommandState state, String result, long receivedAt, Long processedAt) {
}
