package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunId;

/** No run with this id exists. */
public class RunNotFoundException extends RuntimeException {

    private final RunId runId;

    public RunNotFoundException(RunId runId) {
        super("no run " + runId);
        this.runId = runId;
    }

    public RunId runId() {
        return runId;
    }
}
