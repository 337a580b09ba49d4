package io.batchgate.runner.run;

/**
 * Follows runs through their {@link RunEvent}s. Told only of events whose transaction commits
 * (or that were stored without one); it must not throw for its own faults.
 */
public interface RunEventListener {

    /** When a listener is told, relative to the transaction that stored the run. */
    enum Delivery {
        /**
         * In the storing transaction, just before it commits: for a listener that only writes its
         * own outbox rows, which then commit or roll back with the run (a crash loses neither).
         */
        BEFORE_COMMIT,
        /**
         * Once the storing transaction has committed: for anything that leaves the database. The
         * committed transaction's connection is still bound then, so a listener that writes to the
         * database must do so in a new transaction of its own (REQUIRES_NEW).
         */
        AFTER_COMMIT
    }

    void on(RunEvent event);

    default Delivery delivery() {
        return Delivery.AFTER_COMMIT;
    }
}
