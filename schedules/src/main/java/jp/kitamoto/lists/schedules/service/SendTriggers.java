package jp.kitamoto.lists.schedules.service;

/**
 * Where the services tell the scheduler that a send was (re)scheduled or withdrawn, after their transaction
 * commits. The table stays the truth: a lost call is repaired by the sweep and by the rebuild at start-up.
 */
public interface SendTriggers {
    SendTriggers NONE = new SendTriggers() {
        @Override
        public void scheduled(long sendId, long dueAt) {
        }

        @Override
        public void withdrawn(long sendId) {
        }
    };

    void scheduled(long sendId, long dueAt);

    void withdrawn(long sendId);
}
