package io.batchgate.runner.runtime;

import io.batchgate.runner.run.RunId;

/** Names one attempt of one run. */
public record AttemptRef(RunId runId, int attempt) {

    @Override
    public String toString() {
        return runId + "#" + attempt;
    }
}
