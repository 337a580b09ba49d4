package io.batchgate.runner.net;

/** A net run's life: RUNNING, CANCELLING while its active members stop, ENDED with a judgment. */
public enum NetRunStatus {
    RUNNING,
    CANCELLING,
    ENDED
}
