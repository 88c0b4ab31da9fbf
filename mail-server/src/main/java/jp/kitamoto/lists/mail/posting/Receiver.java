package jp.kitamoto.lists.mail.posting;

/**
 * What the SMTP intake hands a received message to. The intake answers 250 only after {@link #receive} returns,
 * so an implementation returns only once the message is durably stored.
 */
public interface Receiver {

    /**
     * Stores the message for every route it was addressed to, committed. Throws
     * {@link jp.kitamoto.lists.mime.MalformedMessageException} for bytes that are not a message (the intake answers
     * 554) and any other runtime exception when storing failed (the intake answers 451 and the client keeps it).
     */
    Receipt receive(IncomingMessage message);
}
