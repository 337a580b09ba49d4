package io.batchgate.catalog;

/** How a job's exit code is judged by its {@link ExitCodePolicy}. */
public enum ExitJudgment {
    SUCCESS,
    /** A success that someone should look at, like {@code diff} exiting 1. */
    WARNING,
    FAILURE
}
