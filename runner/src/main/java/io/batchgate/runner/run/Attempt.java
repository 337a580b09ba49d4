package io.batchgate.runner.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One launch of a run's task. Mutated only by its {@link Run}. */
public final class Attempt {

    private final int number;
    private final String runtime;
    private final Instant launchedAt;
    private int launchTries;
    private @Nullable TaskHandle handle;
    private @Nullable Long jobExecutionId;
    private @Nullable Instant startedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Integer exitCode;
    private AttemptOutcome outcome;
    private String reason;
    private @Nullable StopCause stopCause;
    private @Nullable Instant stopRequestedAt;
    private final AttemptLog log;

    Attempt(int number, String runtime, Instant launchedAt) {
        this(number, runtime, launchedAt, 1, null, null, null, null, null, AttemptOutcome.ACTIVE, "", null, null);
    }

    /** Rebuilds an attempt from storage. */
    public Attempt(
            int number,
            String runtime,
            Instant launchedAt,
            int launchTries,
            @Nullable TaskHandle handle,
            @Nullable Long jobExecutionId,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Integer exitCode,
            AttemptOutcome outcome,
            String reason,
            @Nullable StopCause stopCause,
            @Nullable Instant stopRequestedAt) {
        this(
                number,
                runtime,
                launchedAt,
                launchTries,
                handle,
                jobExecutionId,
                startedAt,
                finishedAt,
                exitCode,
                outcome,
                reason,
                stopCause,
                stopRequestedAt,
                AttemptLog.NONE);
    }

    /** Rebuilds an attempt from storage, with what the logs feature recorded about its log. */
    public Attempt(
            int number,
            String runtime,
            Instant launchedAt,
            int launchTries,
            @Nullable TaskHandle handle,
            @Nullable Long jobExecutionId,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Integer exitCode,
            AttemptOutcome outcome,
            String reason,
            @Nullable StopCause stopCause,
            @Nullable Instant stopRequestedAt,
            AttemptLog log) {
        this.log = log;
        this.number = number;
        this.runtime = runtime;
        this.launchedAt = launchedAt;
        this.launchTries = launchTries;
        this.handle = handle;
        this.jobExecutionId = jobExecutionId;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.exitCode = exitCode;
        this.outcome = outcome;
        this.reason = reason;
        this.stopCause = stopCause;
        this.stopRequestedAt = stopRequestedAt;
    }

    void stopRequested(StopCause cause, Instant at) {
        if (stopCause == null) {
            stopCause = cause;
            stopRequestedAt = at;
        }
    }

    /** Another try at launching this attempt after the runtime refused it for lack of capacity. */
    void relaunched() {
        launchTries++;
    }

    /** The runtime started the task; {@code runningAt} is null while it is still being placed. */
    void started(TaskHandle handle, @Nullable Instant runningAt) {
        this.handle = handle;
        this.startedAt = runningAt;
    }

    void running(Instant at) {
        this.startedAt = at;
    }

    void recordExecution(long jobExecutionId) {
        this.jobExecutionId = jobExecutionId;
    }

    void ended(AttemptOutcome outcome, @Nullable Integer exitCode, String reason, Instant at) {
        this.outcome = outcome;
        this.exitCode = exitCode;
        this.reason = reason;
        this.finishedAt = at;
    }

    public int number() {
        return number;
    }

    public String runtime() {
        return runtime;
    }

    public Instant launchedAt() {
        return launchedAt;
    }

    /**
     * How many times this attempt was handed to its runtime. Infrastructure refusals (capacity,
     * throttling) try again without spending an attempt; each try is a distinct launch.
     */
    public int launchTries() {
        return launchTries;
    }

    public @Nullable TaskHandle handle() {
        return handle;
    }

    public @Nullable Long jobExecutionId() {
        return jobExecutionId;
    }

    /** When the task ran: null while the runtime is still placing it (ECS: PROVISIONING, PENDING). */
    public @Nullable Instant startedAt() {
        return startedAt;
    }

    /** The runtime has a task for this attempt, but the task does not run yet. */
    public boolean awaitingRunning() {
        return handle != null && startedAt == null && isActive();
    }

    public @Nullable Instant finishedAt() {
        return finishedAt;
    }

    public @Nullable Integer exitCode() {
        return exitCode;
    }

    public AttemptOutcome outcome() {
        return outcome;
    }

    public String reason() {
        return reason;
    }

    /** Why batchgate asked the task to stop, if it did. */
    public @Nullable StopCause stopCause() {
        return stopCause;
    }

    public @Nullable Instant stopRequestedAt() {
        return stopRequestedAt;
    }

    public AttemptLog log() {
        return log;
    }

    /**
     * Whether this attempt's log is known to be whole: the attempt has ended and either it never
     * started (no output anywhere, though a local attempt's stream is recorded when it is claimed),
     * or its log is a local runtime file (complete when the process ends), or every line reached
     * its CloudWatch stream with nothing dropped and no warning. A task that ran elsewhere with no
     * known stream has no log batchgate can vouch for.
     */
    public boolean logComplete() {
        if (isActive()) {
            return false;
        }
        if (handle == null) {
            return true;
        }
        if (log.hasStream()) {
            return log.complete() && log.droppedLines() == 0 && log.warning() == null;
        }
        return "local".equals(runtime);
    }

    public boolean isActive() {
        return outcome == AttemptOutcome.ACTIVE;
    }
}
