package io.batchgate.runner.monitor;

import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;

/**
 * Turns run events into heartbeats, following the judged outcome: a start for every attempt whose
 * task started, a retry notice when an attempt whose task ran failed and will be tried again (an
 * infrastructure deferral of a launch is not one, nor a start timeout of an attempt that never got
 * a task), and one final outcome per run. Told before the storing transaction commits: the
 * monitor writes its pings to an outbox in that transaction, so a ping commits or rolls back with
 * the state it announces, and a crash right after the commit loses none.
 */
public final class RunHeartbeats implements RunEventListener {

    private final Monitor monitor;

    public RunHeartbeats(Monitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Delivery delivery() {
        return Delivery.BEFORE_COMMIT;
    }

    @Override
    public void on(RunEvent event) {
        if (event instanceof RunEvent.AttemptStarted started) {
            monitor.attemptStarted(started);
        } else if (event instanceof RunEvent.RetryScheduled retry && retry.outcome() != AttemptOutcome.NOT_STARTED) {
            monitor.attemptRetried(retry);
        } else if (event instanceof RunEvent.RunFinished finished) {
            monitor.runEnded(finished);
        }
    }
}
