package io.batchgate.runner.monitor;

import io.batchgate.runner.run.RunEvent.AttemptStarted;
import io.batchgate.runner.run.RunEvent.RetryScheduled;
import io.batchgate.runner.run.RunEvent.RunFinished;

/** Monitoring switched off ({@code batchgate.monitor.enabled=false}, the embedded default): tells no one. */
final class NoMonitor implements Monitor {

    @Override
    public void attemptStarted(AttemptStarted started) {}

    @Override
    public void attemptRetried(RetryScheduled retry) {}

    @Override
    public void runEnded(RunFinished finished) {}
}
