package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunId;

/**
 * Another replica or thread changed the run since it was loaded; the change was not stored.
 * For a claim this is the expected way to lose the race for a run.
 */
public class ConcurrentRunUpdateException extends RuntimeException {

    public ConcurrentRunUpdateException(RunId runId, int expectedVersion) {
        super("run " + runId + " changed since version " + expectedVersion);
    }
}
