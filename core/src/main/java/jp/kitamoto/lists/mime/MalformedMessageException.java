package jp.kitamoto.lists.mime;

/** The bytes are not an RFC 5322 message we can work with; the intake answers 554 5.6.0 with this text. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }
}
