package jp.kitamoto.lists.mail.delivery;

/**
 * What the smarthost said about one copy.
 *
 * @param recipientRefused a 5xx to RCPT or to the message (DATA): this recipient's mailbox or domain does not take
 *                         it, which counts as a hard bounce. Not a 5xx to our MAIL FROM: that is about us, and would
 *                         otherwise count against every member at once.
 */
public record SendResult(Kind kind, String reply, boolean recipientRefused) {
    public enum Kind {
        /** 2xx: the smarthost took responsibility. */
        SENT,
        /** 4xx or no answer (connection refused, timeout, dropped): try again later. */
        TEMPORARY,
        /** 5xx: this copy will never be accepted. */
        PERMANENT
    }

    public static SendResult sent(String reply) {
        return new SendResult(Kind.SENT, reply, false);
    }

    public static SendResult temporary(String reply) {
        return new SendResult(Kind.TEMPORARY, reply, false);
    }

    public static SendResult permanent(String reply) {
        return new SendResult(Kind.PERMANENT, reply, false);
    }

    /** A 5xx to RCPT or DATA: permanent, and a bounce of this recipient. */
    public static SendResult refused(String reply) {
        return new SendResult(Kind.PERMANENT, reply, true);
    }
}
