package io.batchgate.runner.monitor;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.Run;

/** Monitoring switched off ({@code batchgate.monitor.enabled=false}, the embedded default): tells no one. */
public final class NoMonitor implements Monitor {

    @Override
    public void attemptStarted(Run run, Attempt attempt) {}

    @Override
    public void attemptRetried(Run run, Attempt attempt, String reason) {}

    @Override
    public void runEnded(Run run) {}
}
