package io.batchgate.runner.control;

import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.run.IllegalRunTransitionException;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.StopCause;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels runs whose waiter went away: a run triggered with cancel-on-abandon whose lease was not
 * renewed in time (jobctl was killed with SIGKILL, or its host died) is cancelled like any other,
 * so the task does not outlive the scheduler job that started it.
 */
class AbandonedRunSweeper {

    private static final Logger log = LoggerFactory.getLogger(AbandonedRunSweeper.class);
    private static final int BATCH = 100;

    private final WaiterLeases leases;
    private final RunCanceller canceller;
    private final Clock clock;

    public AbandonedRunSweeper(WaiterLeases leases, RunCanceller canceller, Clock clock) {
        this.leases = leases;
        this.canceller = canceller;
        this.clock = clock;
    }

    /** One tick; returns how many runs it cancelled. */
    public int sweep() {
        leases.forgetFinished();
        int cancelled = 0;
        for (RunId id : leases.expired(clock.instant(), BATCH)) {
            try {
                canceller.cancel(id, "abandoned: no waiter polled it within its lease", StopCause.CANCEL);
                log.info("run {}: cancelled, its waiter went away", id);
                cancelled++;
            } catch (IllegalRunTransitionException finishedMeanwhile) {
                // it ended on its own in the meantime
            } catch (RuntimeException e) {
                log.error("could not cancel abandoned run {}", id, e);
            }
        }
        return cancelled;
    }
}
