package io.batchgate.runner.run;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.ExitJudgment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The run aggregate: one trigger's user-visible unit of work. It owns its state machine — the
 * status changes only through the named methods below, each checked against {@link RunStatus}'s
 * transition table and appended to the timeline.
 */
public final class Run {

    private final RunId id;
    private final String job;
    private final String catalogVersion;
    private final Map<String, String> params;
    private final Set<String> secretParams;
    private final String requestedBy;
    private final @Nullable String idempotencyKey;
    private final Instant createdAt;
    private final List<Attempt> attempts;
    private final List<TimelineEntry> timeline;
    private final int version;
    private int persistedTimelineSize;
    private RunStatus status;
    private @Nullable Integer exitCode;
    private boolean warning;
    private String reason;
    private @Nullable Instant startedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Instant nextAttemptAt;

    private Run(Snapshot s) {
        this.id = s.id();
        this.job = s.job();
        this.catalogVersion = s.catalogVersion();
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(s.params()));
        this.secretParams = Set.copyOf(s.secretParams());
        this.requestedBy = s.requestedBy();
        this.idempotencyKey = s.idempotencyKey();
        this.createdAt = s.createdAt();
        this.status = s.status();
        this.exitCode = s.exitCode();
        this.warning = s.warning();
        this.reason = s.reason();
        this.startedAt = s.startedAt();
        this.finishedAt = s.finishedAt();
        this.nextAttemptAt = s.nextAttemptAt();
        this.attempts = new ArrayList<>(s.attempts());
        this.timeline = new ArrayList<>(s.timeline());
        this.persistedTimelineSize = s.timeline().size();
        this.version = s.version();
    }

    /** A run accepted from a trigger: QUEUED, with the acceptance as its first timeline entry. */
    public static Run accept(
            RunId id,
            String job,
            String catalogVersion,
            Map<String, String> params,
            Set<String> secretParams,
            String requestedBy,
            @Nullable String idempotencyKey,
            Instant now) {
        Run run = new Run(new Snapshot(
                id,
                job,
                catalogVersion,
                params,
                secretParams,
                requestedBy,
                idempotencyKey,
                now,
                RunStatus.QUEUED,
                null,
                false,
                "",
                null,
                null,
                null,
                List.of(),
                List.of(),
                0));
        run.persistedTimelineSize = 0;
        run.timeline.add(new TimelineEntry(1, now, null, RunStatus.QUEUED, "accepted from " + requestedBy));
        return run;
    }

    /** Rebuilds a run from storage; nothing is pending. */
    public static Run restore(Snapshot snapshot) {
        return new Run(snapshot);
    }

    /**
     * Takes the run for launching: → LAUNCHING. From QUEUED this opens attempt 1; from RETRY_WAIT
     * after an infrastructure refusal it is another try of the same attempt, which spends nothing.
     */
    public Attempt claim(String runtime, Instant now) {
        Attempt current = currentAttempt();
        if (status == RunStatus.RETRY_WAIT && current != null && current.isActive()) {
            moveTo(
                    RunStatus.LAUNCHING,
                    now,
                    "launch try " + (current.launchTries() + 1) + " of attempt " + current.number() + " on runtime "
                            + current.runtime());
            current.relaunched();
            nextAttemptAt = null;
            return current;
        }
        moveTo(RunStatus.LAUNCHING, now, "claimed for attempt " + (attempts.size() + 1) + " on runtime " + runtime);
        Attempt attempt = new Attempt(attempts.size() + 1, runtime, now);
        attempts.add(attempt);
        nextAttemptAt = null;
        return attempt;
    }

    /** Whether a launch message for this run should be acted on now. */
    public boolean isDueForLaunch(Instant now) {
        return status == RunStatus.QUEUED
                || (status == RunStatus.RETRY_WAIT && (nextAttemptAt == null || !nextAttemptAt.isAfter(now)));
    }

    /**
     * The runtime refused the launch for a reason that may pass (capacity, throttling, a service
     * error): LAUNCHING → RETRY_WAIT until {@code retryAt}, keeping the attempt — infrastructure
     * trouble does not spend the job's attempts.
     */
    public void launchDeferred(String why, Instant retryAt, Instant now) {
        Attempt attempt = currentAttemptOrThrow();
        moveTo(
                RunStatus.RETRY_WAIT,
                now,
                "infrastructure retry " + attempt.launchTries() + " of attempt " + attempt.number() + " at " + retryAt
                        + ": " + why);
        nextAttemptAt = retryAt;
    }

    /** Links the current attempt to the Spring Batch execution that records it. */
    public void recordExecution(long jobExecutionId) {
        currentAttemptOrThrow().recordExecution(jobExecutionId);
    }

    /** The runtime started the task: LAUNCHING → RUNNING. */
    public void started(TaskHandle handle, Instant now) {
        moveTo(RunStatus.RUNNING, now, "task started: " + handle);
        currentAttemptOrThrow().started(handle, now);
        if (startedAt == null) {
            startedAt = now;
        }
    }

    /** The runtime could not start the task. The run fails with the runtime's reason. */
    public void launchFailed(String why, Instant now) {
        moveTo(RunStatus.FAILED, now, "launch failed: " + why);
        currentAttemptOrThrow().ended(AttemptOutcome.REFUSED, null, why, now);
        reason = why;
        finishedAt = now;
    }

    /**
     * The current attempt's task ended. With an exit code, the job's exit-code policy judges it;
     * without one it is a failure whatever the reason.
     */
    public void finished(TaskExit exit, ExitCodePolicy policy, Instant now) {
        Attempt attempt = currentAttemptOrThrow();
        if (exit.exitCode().isPresent()) {
            int code = exit.exitCode().getAsInt();
            ExitJudgment judgment = policy.judge(code);
            RunStatus next = judgment == ExitJudgment.FAILURE ? RunStatus.FAILED : RunStatus.SUCCEEDED;
            String why =
                    switch (judgment) {
                        case SUCCESS -> "exit code " + code + " is a success";
                        case WARNING -> "exit code " + code + " is a warning";
                        case FAILURE -> "exit code " + code + " is a failure";
                    };
            moveTo(next, now, why);
            attempt.ended(AttemptOutcome.EXITED, code, exit.reason(), now);
            exitCode = code;
            warning = judgment == ExitJudgment.WARNING;
            reason = why;
        } else {
            moveTo(RunStatus.FAILED, now, "task ended without an exit code: " + exit.reason());
            attempt.ended(AttemptOutcome.LOST, null, exit.reason(), now);
            reason = exit.reason();
        }
        finishedAt = now;
    }

    /** True if the given attempt is this run's current one and still active: exits for others are stale. */
    public boolean isActiveAttempt(int attemptNumber) {
        Attempt current = currentAttempt();
        return current != null && current.number() == attemptNumber && current.isActive() && !status.isFinal();
    }

    private void moveTo(RunStatus next, Instant now, String why) {
        if (!status.canMoveTo(next)) {
            throw new IllegalRunTransitionException(id, status, next);
        }
        timeline.add(new TimelineEntry(timeline.size() + 1, now, status, next, why));
        status = next;
    }

    private Attempt currentAttemptOrThrow() {
        Attempt current = currentAttempt();
        if (current == null) {
            throw new IllegalStateException("run " + id + " has no attempt yet");
        }
        return current;
    }

    public @Nullable Attempt currentAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /** Timeline entries not yet stored; the ledger stores them and calls {@link #markPersisted()}. */
    public List<TimelineEntry> pendingTimeline() {
        return List.copyOf(timeline.subList(persistedTimelineSize, timeline.size()));
    }

    public void markPersisted() {
        persistedTimelineSize = timeline.size();
    }

    /** The caller's values with secret ones replaced, for anything shown back or logged. */
    public Map<String, String> maskedParams() {
        Map<String, String> masked = new LinkedHashMap<>();
        params.forEach((name, value) -> masked.put(name, secretParams.contains(name) ? "******" : value));
        return masked;
    }

    public RunId id() {
        return id;
    }

    public String job() {
        return job;
    }

    public String catalogVersion() {
        return catalogVersion;
    }

    /** The caller's values in clear, including secrets: only for launching. */
    public Map<String, String> params() {
        return params;
    }

    public Set<String> secretParams() {
        return secretParams;
    }

    public String requestedBy() {
        return requestedBy;
    }

    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public RunStatus status() {
        return status;
    }

    public @Nullable Integer exitCode() {
        return exitCode;
    }

    public boolean warning() {
        return warning;
    }

    public String reason() {
        return reason;
    }

    public @Nullable Instant startedAt() {
        return startedAt;
    }

    public @Nullable Instant finishedAt() {
        return finishedAt;
    }

    /** When a run in RETRY_WAIT is launched again. */
    public @Nullable Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    public List<Attempt> attempts() {
        return Collections.unmodifiableList(attempts);
    }

    public List<TimelineEntry> timeline() {
        return Collections.unmodifiableList(timeline);
    }

    /** The stored version this instance was loaded at (optimistic locking). */
    public int version() {
        return version;
    }

    /** Everything a run is made of, as stored. */
    public record Snapshot(
            RunId id,
            String job,
            String catalogVersion,
            Map<String, String> params,
            Set<String> secretParams,
            String requestedBy,
            @Nullable String idempotencyKey,
            Instant createdAt,
            RunStatus status,
            @Nullable Integer exitCode,
            boolean warning,
            String reason,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Instant nextAttemptAt,
            List<Attempt> attempts,
            List<TimelineEntry> timeline,
            int version) {}
}
