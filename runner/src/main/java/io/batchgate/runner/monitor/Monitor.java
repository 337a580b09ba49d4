package io.batchgate.runner.monitor;

import io.batchgate.runner.run.RunEvent.AttemptStarted;
import io.batchgate.runner.run.RunEvent.RetryScheduled;
import io.batchgate.runner.run.RunEvent.RunFinished;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An external monitor of job runs. Called in the transaction that stores the transition, just
 * before it commits (see {@link RunHeartbeats}), so an adapter records what it must send and sends
 * it later: it never delays or fails the run, and must not throw for its own faults.
 */
public interface Monitor {

    /** The attempt's task started. */
    void attemptStarted(AttemptStarted started);

    /** The attempt failed and the run will try again ({@code retry.entry()} says why and when). */
    void attemptRetried(RetryScheduled retry);

    /** The run reached its final status. */
    void runEnded(RunFinished finished);

    /**
     * A schedule's fire of this job produced no run within the schedule's grace: the "did the job
     * even fire?" alarm. Called in the transaction that marks the fire reported, once per fire.
     */
    default void fireMissed(MissedFire missed) {}

    /** A fire of {@code schedule} for {@code nominal} (business day {@code nominalDate}) without a run in time. */
    record MissedFire(String job, String schedule, Instant nominal, LocalDate nominalDate, String reason) {}
}
