package io.batchgate.runner.run;

/** How one attempt ended, independent of what the run made of it. */
public enum AttemptOutcome {
    /** Still launching or running. */
    ACTIVE,
    /** The task ran to an exit code. */
    EXITED,
    /** The runtime refused or failed to start the task. */
    REFUSED,
    /** The task ended without an exit code (killed, failed to start). */
    LOST,
    /**
     * The runtime lost the task's record (ECS stopped describing it past the missing grace): it may
     * have succeeded. No retry rule matches it; it is never retried automatically.
     */
    RECORD_LOST,
    /** The attempt was cancelled or timed out before its task started. */
    NOT_STARTED
}
