package jp.kitamoto.lists.mail.intake;

/**
 * Told of every reply the intake writes to a client, once per reply (a multi-line reply such as EHLO's counts once),
 * so that an operator sees refusals rising (issue #10: "SMTP replies by code"). The intake stays free of any metrics
 * library: the application turns these calls into a Prometheus counter.
 *
 * <p>Called on the connection's I/O thread, before the reply is written: an implementation must be quick and must
 * not throw.
 */
@FunctionalInterface
public interface SmtpReplyCounter {
    /** Counts nothing (tests and tools that run the intake without metrics). */
    SmtpReplyCounter NONE = (code, enhancedStatus) -> {
    };

    /**
     * @param code           the three-digit reply code, such as {@code 550}
     * @param enhancedStatus the RFC 3463 enhanced status code that starts the reply's text, such as {@code 5.1.1},
     *                       or {@code none} when the reply has none (the greeting, EHLO, some of James's own replies)
     */
    void count(String code, String enhancedStatus);
}
