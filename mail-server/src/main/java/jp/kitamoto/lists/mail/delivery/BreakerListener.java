package jp.kitamoto.lists.mail.delivery;

/**
 * Told when this node's {@link RefusalBreaker} opens (the smarthost refuses most copies, to many domains: our problem,
 * not the members') and when it closes again. Called off the I/O thread, once per opening and once per closing.
 */
public interface BreakerListener {
    BreakerListener NONE = new BreakerListener() {
        @Override
        public void opened(Trip trip) {
        }

        @Override
        public void closed(Trip trip, long closedAt) {
        }
    };

    /**
     * What the last {@value RefusalBreaker#WINDOW_MINUTES} minutes held when the breaker opened.
     *
     * @param domains the refused domains, counted up to {@value RefusalBreaker#MIN_DOMAINS} ("at least")
     * @param reply   the last refusal's reply, the addresses in it masked (personal data)
     */
    record Trip(long at, int refused, int accepted, int domains, String reply) {
    }

    void opened(Trip trip);

    void closed(Trip trip, long closedAt);
}
