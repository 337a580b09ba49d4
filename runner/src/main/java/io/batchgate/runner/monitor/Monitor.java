package io.batchgate.runner.monitor;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;

/**
 * An external monitor of job runs. Called in the transaction that stores the transition, so an
 * adapter records what it must send and sends it later: it never delays or fails the run, and
 * must not throw for its own faults.
 */
public interface Monitor {

    /** The attempt's task started. */
    void attemptStarted(Run run, Attempt attempt);

    /** The attempt failed and the run will try again ({@code reason} says why and when). */
    void attemptRetried(Run run, Attempt attempt, String reason);

    /** The run reached its final status. */
    void runEnded(Run run);
}
