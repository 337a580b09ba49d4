package io.batchgate.runner.run;

/** What a cancel did, and whether the caller must stop a task. */
public enum CancelOutcome {
    /** The run never started a task and is now CANCELLED. */
    CANCELLED,
    /** The run is STOPPING: the caller must stop its task. */
    STOP_TASK,
    /** The run is STOPPING and its task is still being launched: the launcher stops it when it starts. */
    STOP_WHEN_LAUNCHED,
    /** Nothing to do: the run was already stopping or cancelled (cancel is idempotent). */
    ALREADY_DONE
}
