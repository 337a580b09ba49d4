package io.batchgate.runner.logs;

import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;

/**
 * Records the CloudWatch stream a local attempt's output is forwarded to in the transaction that
 * claims the attempt, before it can start. A local attempt with no stream recorded counts as whole
 * once it ends (its file is the log); with forwarding on, it may count as whole only once the
 * {@link LocalOutputForwarder} has stored every line. Were the stream recorded by the forwarder's
 * first pass instead, a job that ended before that pass would read as complete with nothing in
 * CloudWatch.
 */
public final class LocalOutputStreams implements RunEventListener {

    private final AttemptLogs attemptLogs;
    private final String logGroup;

    public LocalOutputStreams(AttemptLogs attemptLogs, String logGroup) {
        this.attemptLogs = attemptLogs;
        this.logGroup = logGroup;
    }

    @Override
    public void on(RunEvent event) {
        if (event instanceof RunEvent.AttemptClaimed claimed && "local".equals(claimed.runtime())) {
            attemptLogs.located(
                    claimed.runId(),
                    claimed.attempt(),
                    LocalOutputForwarder.location(logGroup, claimed.runId(), claimed.attempt()),
                    null);
        }
    }

    /** In the claiming transaction: the attempt row and its stream commit together. */
    @Override
    public Delivery delivery() {
        return Delivery.BEFORE_COMMIT;
    }
}
