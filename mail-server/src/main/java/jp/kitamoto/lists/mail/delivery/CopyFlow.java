package jp.kitamoto.lists.mail.delivery;

/** What the smarthost connections need from delivery: copies to send, and where outcomes go. Thread-safe. */
interface CopyFlow {
    /** The next copy to send, or null if none is waiting. Never blocks (it runs on an I/O thread). */
    Copy next();

    /** Whether {@link #next()} would return a copy now. */
    boolean hasWork();

    /** A copy whose outcome is unknown because its connection ended: send it again, first, on any connection. */
    void handBack(Copy copy);

    /** What the smarthost said about one copy. */
    record Outcome(Copy copy, SendResult result) {
    }

    /**
     * Records the outcomes of one turn of the I/O thread in one group; {@code done} runs (on any thread, possibly
     * before this returns) once they are durably recorded, or recording failed for good.
     */
    void report(java.util.List<Outcome> outcomes, Runnable done);
}
