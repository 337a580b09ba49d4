package io.batchgate.runner.run;

/** Why batchgate asked an attempt's task to stop. */
public enum StopCause {
    /** An operator or caller cancelled the run. */
    CANCEL,
    /** A newer run of a job with overlap {@code replace} took its place. */
    REPLACE,
    /** The attempt ran longer than the job's run timeout. */
    TIMEOUT,
    /** The attempt's task was not running within the job's start timeout. */
    START_TIMEOUT
}
