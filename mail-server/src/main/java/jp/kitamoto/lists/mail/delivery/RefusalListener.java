package jp.kitamoto.lists.mail.delivery;

/** Told when the smarthost refused a copy's recipient for good (5xx to RCPT or DATA), after the outcome is recorded. */
@FunctionalInterface
public interface RefusalListener {
    RefusalListener NONE = (token, reply) -> {
    };

    /** @param token the delivery's token: a subscription's VERP token, or another token (owner copies) */
    void recipientRefused(String token, String reply);
}
