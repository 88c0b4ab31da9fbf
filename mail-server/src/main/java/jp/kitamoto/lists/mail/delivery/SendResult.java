package jp.kitamoto.lists.mail.delivery;

/** What the smarthost said about one copy. */
public record SendResult(Kind kind, String reply) {
    public enum Kind {
        /** 2xx: the smarthost took responsibility. */
        SENT,
        /** 4xx or no answer (connection refused, timeout, dropped): try again later. */
        TEMPORARY,
        /** 5xx: this copy will never be accepted. */
        PERMANENT
    }

    public static SendResult sent(String reply) {
        return new SendResult(Kind.SENT, reply);
    }

    public static SendResult temporary(String reply) {
        return new SendResult(Kind.TEMPORARY, reply);
    }

    public static SendResult permanent(String reply) {
        return new SendResult(Kind.PERMANENT, reply);
    }
}
