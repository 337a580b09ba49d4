package io.batchgate.runner.monitor;

import io.batchgate.runner.ledger.RunTransitions;
import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TimelineEntry;
import java.util.List;

/**
 * Turns stored transitions into heartbeats, following the judged outcome: a start for every
 * attempt whose task started, a retry notice when a failed attempt will be tried again (an
 * infrastructure deferral of a launch is not one), and one final outcome per run.
 */
public final class RunHeartbeats implements RunTransitions {

    private final Monitor monitor;

    public RunHeartbeats(Monitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void recorded(Run run, List<TimelineEntry> entries) {
        // One save holds the transitions of one attempt at most (a new attempt is always a claim of its own).
        Attempt attempt = run.currentAttempt();
        for (TimelineEntry entry : entries) {
            RunStatus from = entry.from();
            if (entry.to() == RunStatus.RUNNING && from == RunStatus.LAUNCHING && attempt != null) {
                monitor.attemptStarted(run, attempt);
            } else if (entry.to() == RunStatus.RETRY_WAIT
                    && (from == RunStatus.RUNNING || from == RunStatus.STOPPING)
                    && attempt != null) {
                monitor.attemptRetried(run, attempt, entry.reason());
            } else if (entry.to().isFinal() && from != entry.to()) {
                monitor.runEnded(run);
            }
        }
    }
}
