package io.batchgate.runner.run;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.RetryPolicy;
import io.batchgate.catalog.Timeouts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The run aggregate: one trigger's user-visible unit of work. It owns its state machine — the
 * status changes only through the named methods below, each checked against {@link RunStatus}'s
 * transition table and appended to the timeline.
 */
public final class Run {

    private static final String MASK = "******";

    private final RunId id;
    private final String job;
    private final String catalogVersion;
    private final Map<String, String> params;
    private final Set<String> secretParams;
    private final String requestedBy;
    private final RunSource source;
    private final @Nullable String idempotencyKey;
    private final Instant createdAt;
    private final List<Attempt> attempts;
    private final List<TimelineEntry> timeline;
    private final List<RunEvent> events = new ArrayList<>();
    private int version;
    private int persistedTimelineSize;
    private int persistedAttempts;
    private RunStatus status;
    private @Nullable Integer exitCode;
    private boolean warning;
    private String reason;
    private @Nullable Instant startedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Instant nextAttemptAt;
    private @Nullable Instant deadline;

    private Run(Snapshot s) {
        this.id = s.id();
        this.job = s.job();
        this.catalogVersion = s.catalogVersion();
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(s.params()));
        this.secretParams = Set.copyOf(s.secretParams());
        this.requestedBy = s.requestedBy();
        this.source = s.source();
        this.idempotencyKey = s.idempotencyKey();
        this.createdAt = s.createdAt();
        this.status = s.status();
        this.exitCode = s.exitCode();
        this.warning = s.warning();
        this.reason = s.reason();
        this.startedAt = s.startedAt();
        this.finishedAt = s.finishedAt();
        this.nextAttemptAt = s.nextAttemptAt();
        this.deadline = s.deadline();
        this.attempts = new ArrayList<>(s.attempts());
        this.timeline = new ArrayList<>(s.timeline());
        this.persistedTimelineSize = s.timeline().size();
        this.persistedAttempts = s.attempts().size();
        this.version = s.version();
    }

    /** A run accepted from an HTTP trigger ({@link RunSource#api()}). */
    public static Run accept(
            RunId id,
            String job,
            String catalogVersion,
            Map<String, String> params,
            Set<String> secretParams,
            String requestedBy,
            @Nullable String idempotencyKey,
            Instant now) {
        return accept(id, job, catalogVersion, params, secretParams, requestedBy, RunSource.api(), idempotencyKey, now);
    }

    /** A run accepted from a trigger: QUEUED, with the acceptance as its first timeline entry. */
    public static Run accept(
            RunId id,
            String job,
            String catalogVersion,
            Map<String, String> params,
            Set<String> secretParams,
            String requestedBy,
            RunSource source,
            @Nullable String idempotencyKey,
            Instant now) {
        Run run = new Run(new Snapshot(
                id,
                job,
                catalogVersion,
                params,
                secretParams,
                requestedBy,
                source,
                idempotencyKey,
                now,
                RunStatus.QUEUED,
                null,
                false,
                "",
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                0));
        run.persistedTimelineSize = 0;
        TimelineEntry entry = new TimelineEntry(1, now, null, RunStatus.QUEUED, "accepted from " + requestedBy);
        run.timeline.add(entry);
        run.events.add(new RunEvent.RunAccepted(id, job, requestedBy, entry));
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
        return claim(runtime, Timeouts.defaults(), now);
    }

    /** As {@link #claim(String, Instant)}; the job's start timeout counts from the attempt's first try. */
    public Attempt claim(String runtime, Timeouts timeouts, Instant now) {
        Attempt current = currentAttempt();
        if (status == RunStatus.RETRY_WAIT && current != null && current.isActive()) {
            TimelineEntry entry = moveTo(
                    RunStatus.LAUNCHING,
                    now,
                    "launch try " + (current.launchTries() + 1) + " of attempt " + current.number() + " on runtime "
                            + current.runtime());
            current.relaunched();
            nextAttemptAt = null;
            events.add(new RunEvent.AttemptClaimed(
                    id, job, current.number(), current.runtime(), current.launchTries(), entry));
            return current;
        }
        TimelineEntry entry = moveTo(
                RunStatus.LAUNCHING, now, "claimed for attempt " + (attempts.size() + 1) + " on runtime " + runtime);
        Attempt attempt = new Attempt(attempts.size() + 1, runtime, now);
        attempts.add(attempt);
        nextAttemptAt = null;
        deadline = timeouts.start().map(now::plus).orElse(null);
        events.add(new RunEvent.AttemptClaimed(id, job, attempt.number(), runtime, attempt.launchTries(), entry));
        return attempt;
    }

    /**
     * Records that this new run re-runs an earlier one of the same scheduler execution (JP1 keeps
     * the AJSEXECID when an operator re-executes a failed job).
     */
    public void rerunOf(RunId previous, Instant now) {
        if (status != RunStatus.QUEUED || !attempts.isEmpty()) {
            throw new IllegalStateException("only a new run can be a re-run, run " + id + " is " + status);
        }
        TimelineEntry entry = note("re-run of run " + previous + " (same execution key)", now);
        events.add(new RunEvent.RerunLinked(id, job, previous, entry));
    }

    /**
     * Records a trigger that the job's overlap policy refused (forbid: another run is active):
     * QUEUED → SKIPPED, final, never launched.
     */
    public void skip(String why, Instant now) {
        TimelineEntry entry = moveTo(RunStatus.SKIPPED, now, why);
        end(why, now, entry);
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
        launchDeferred(why, retryAt, RetryDecisions.judgingOnly(ExitCodePolicy.defaults()), now);
    }

    /**
     * As {@link #launchDeferred(String, Instant, Instant)}; if the start timeout passed while this
     * launch try was in flight, the attempt ends NOT_STARTED and the job's retry rules decide, as
     * for a start timeout that finds the run waiting between tries.
     */
    public void launchDeferred(String why, Instant retryAt, RetryDecisions decisions, Instant now) {
        if (status == RunStatus.STOPPING) {
            endStoppedBeforeStart(decisions, now);
            return;
        }
        Attempt attempt = currentAttemptOrThrow();
        TimelineEntry entry = moveTo(
                RunStatus.RETRY_WAIT,
                now,
                "infrastructure retry " + attempt.launchTries() + " of attempt " + attempt.number() + " at " + retryAt
                        + ": " + why);
        nextAttemptAt = retryAt;
        events.add(new RunEvent.LaunchDeferred(id, job, attempt.number(), retryAt, entry));
    }

    /** Links the current attempt to the Spring Batch execution that records it. */
    public void recordExecution(long jobExecutionId) {
        currentAttemptOrThrow().recordExecution(jobExecutionId);
    }

    /** The runtime started the task: LAUNCHING → RUNNING. */
    public void started(TaskHandle handle, Instant now) {
        started(handle, Timeouts.defaults(), now);
    }

    /**
     * As {@link #started(TaskHandle, Instant)}; the job's run timeout counts from now. A run that
     * was asked to stop while launching stays STOPPING: the caller must stop the task it got.
     */
    public void started(TaskHandle handle, Timeouts timeouts, Instant now) {
        started(handle, timeouts, true, now);
    }

    /**
     * As {@link #started(TaskHandle, Timeouts, Instant)}, for a task that may not run yet (ECS:
     * PROVISIONING, PENDING): until {@link #taskRunning} the start timeout still counts, and the
     * run timeout counts from then.
     */
    public void started(TaskHandle handle, Timeouts timeouts, boolean running, Instant now) {
        Attempt attempt = currentAttemptOrThrow();
        if (status == RunStatus.STOPPING) {
            attempt.started(handle, running ? now : null);
            TimelineEntry entry = note("task started while stopping: " + handle + "; stopping it", now);
            events.add(new RunEvent.StartedWhileStopping(id, job, attempt.number(), handle, entry));
            return;
        }
        TimelineEntry entry =
                moveTo(RunStatus.RUNNING, now, "task started: " + handle + (running ? "" : "; waiting for it to run"));
        attempt.started(handle, running ? now : null);
        events.add(new RunEvent.AttemptStarted(
                id, job, catalogVersion, attempt.number(), handle, running, attempt.runtime(), createdAt, entry));
        if (running) {
            if (startedAt == null) {
                startedAt = now;
            }
            deadline = timeouts.run().map(now::plus).orElse(null);
        }
        // not running yet: the start deadline set by the claim still holds
    }

    /**
     * The current attempt's task, started as not yet running, runs now: the start timeout is met
     * and the run timeout counts from now. Returns false if there was nothing to record (already
     * known, or the attempt has ended).
     */
    public boolean taskRunning(Timeouts timeouts, Instant now) {
        Attempt attempt = currentAttempt();
        if (attempt == null || !attempt.awaitingRunning() || status.isFinal()) {
            return false;
        }
        attempt.running(now);
        if (startedAt == null) {
            startedAt = now;
        }
        TaskHandle handle = Objects.requireNonNull(attempt.handle(), "a started attempt has a handle");
        TimelineEntry entry = note("task running: " + handle, now);
        events.add(new RunEvent.TaskRunning(id, job, attempt.number(), handle, entry));
        if (status == RunStatus.RUNNING) {
            deadline = timeouts.run().map(now::plus).orElse(null);
        }
        return true;
    }

    /** True if batchgate asked the current attempt's task to stop (cancel, replace, timeout). */
    public boolean isStopping() {
        return status == RunStatus.STOPPING;
    }

    /** The runtime could not start the task. The run fails with the runtime's reason. */
    public void launchFailed(String why, Instant now) {
        launchFailed(why, RetryDecisions.judgingOnly(ExitCodePolicy.defaults()), now);
    }

    /** As {@link #launchFailed(String, Instant)}, with the job's retry rules for a start timeout met meanwhile. */
    public void launchFailed(String why, RetryDecisions decisions, Instant now) {
        if (status == RunStatus.STOPPING) {
            endStoppedBeforeStart(decisions, now);
            return;
        }
        TimelineEntry entry = moveTo(RunStatus.FAILED, now, "launch failed: " + why);
        attemptEnded(currentAttemptOrThrow(), AttemptOutcome.REFUSED, null, why, now);
        end(why, now, entry);
    }

    /** The current attempt's task ended: judged by the exit-code policy, without retries. */
    public void finished(TaskExit exit, ExitCodePolicy policy, Instant now) {
        finished(exit, RetryDecisions.judgingOnly(policy), now);
    }

    /** As {@link #finished(TaskExit, RetryDecisions, Instant)}, with the job's policies. */
    public void finished(TaskExit exit, ExitCodePolicy policy, RetryPolicy retry, RetryDelays delays, Instant now) {
        finished(exit, new RetryDecisions(policy, retry, delays), now);
    }

    /**
     * The current attempt's task ended: the attempt is closed, and the run applies what {@code
     * decisions} make of the end — CANCELLED for a stop that was asked for, SUCCEEDED, FAILED or
     * TIMED_OUT, or RETRY_WAIT until the next attempt.
     */
    public void finished(TaskExit exit, RetryDecisions decisions, Instant now) {
        if (status != RunStatus.RUNNING && status != RunStatus.STOPPING) {
            // check before changing anything: an end reported for a run that is not running is refused whole
            throw new IllegalRunTransitionException(id, status, RunStatus.FAILED);
        }
        Attempt attempt = currentAttemptOrThrow();
        Integer code = exit.exitCode().isPresent() ? exit.exitCode().getAsInt() : null;
        StopCause cause = attempt.stopCause();
        AttemptOutcome outcome = exit.recordLost()
                ? AttemptOutcome.RECORD_LOST
                : code == null ? AttemptOutcome.LOST : AttemptOutcome.EXITED;
        attemptEnded(attempt, outcome, code, exit.reason(), now);
        deadline = null;
        exitCode = code;
        RetryDecisions.Decision decision = decisions.taskEnded(exit, cause, attempt.number(), now);
        if (decision instanceof RetryDecisions.Decision.Cancel cancel) {
            String asked = lastReasonOf(RunStatus.STOPPING)
                    .orElse(cancel.replaced() ? "replaced by a newer run" : "cancelled");
            String why = asked + "; the task ended: " + exit.reason();
            end(why, now, moveTo(RunStatus.CANCELLED, now, why));
        } else if (decision instanceof RetryDecisions.Decision.Succeed succeed) {
            TimelineEntry entry = moveTo(RunStatus.SUCCEEDED, now, succeed.why());
            warning = succeed.warning();
            end(succeed.why(), now, entry);
        } else if (decision instanceof RetryDecisions.Decision.Retry retry) {
            TimelineEntry entry = moveTo(RunStatus.RETRY_WAIT, now, retry.why());
            nextAttemptAt = retry.at();
            reason = retry.reason();
            events.add(
                    new RunEvent.RetryScheduled(id, job, catalogVersion, attempt.number(), outcome, retry.at(), entry));
        } else if (decision instanceof RetryDecisions.Decision.Fail fail) {
            end(fail.reason(), now, moveTo(fail.status(), now, fail.why()));
        }
    }

    /**
     * Stops the run at a caller's or operator's request. Idempotent: a run already stopping or
     * cancelled stays as it is. A finished run cannot be cancelled.
     */
    public CancelOutcome cancel(String why, StopCause cause, Timeouts timeouts, Instant now) {
        if (status == RunStatus.CANCELLED || status == RunStatus.STOPPING) {
            return CancelOutcome.ALREADY_DONE;
        }
        if (status.isFinal()) {
            throw new IllegalRunTransitionException(id, status, RunStatus.CANCELLED);
        }
        String label = (cause == StopCause.REPLACE ? "replaced: " : "cancelled: ") + why;
        if (status == RunStatus.QUEUED || status == RunStatus.RETRY_WAIT) {
            TimelineEntry entry = moveTo(RunStatus.CANCELLED, now, label);
            Attempt current = currentAttempt();
            if (current != null && current.isActive()) {
                attemptEnded(current, AttemptOutcome.NOT_STARTED, null, label, now);
            }
            nextAttemptAt = null;
            deadline = null;
            end(label, now, entry);
            return CancelOutcome.CANCELLED;
        }
        Attempt attempt = currentAttemptOrThrow();
        TimelineEntry entry = moveTo(RunStatus.STOPPING, now, label);
        attempt.stopRequested(cause, now);
        deadline = now.plus(timeouts.stopGrace());
        events.add(new RunEvent.StopRequested(id, job, attempt.number(), cause, entry));
        return attempt.handle() == null ? CancelOutcome.STOP_WHEN_LAUNCHED : CancelOutcome.STOP_TASK;
    }

    /**
     * The run's deadline passed: a start timeout (never got a task in time), a run timeout
     * (ran too long: stop it), or the end of the stop grace (kill it).
     */
    public DeadlineAction deadlinePassed(Timeouts timeouts, Instant now) {
        return deadlinePassed(timeouts, RetryPolicy.none(), n -> java.time.Duration.ZERO, now);
    }

    /**
     * As {@link #deadlinePassed(Timeouts, Instant)}; an attempt still waiting for an infrastructure
     * retry of its launch when the start timeout passes goes through the job's retry rules as a
     * start timeout ({@code startTimedOut}): a matching RETRY rule opens the next attempt.
     */
    public DeadlineAction deadlinePassed(Timeouts timeouts, RetryPolicy retry, RetryDelays delays, Instant now) {
        return deadlinePassed(timeouts, new RetryDecisions(ExitCodePolicy.defaults(), retry, delays), now);
    }

    /** As {@link #deadlinePassed(Timeouts, RetryPolicy, RetryDelays, Instant)}, with the job's policies. */
    public DeadlineAction deadlinePassed(Timeouts timeouts, RetryDecisions decisions, Instant now) {
        if (deadline == null || now.isBefore(deadline) || status.isFinal()) {
            return DeadlineAction.NONE;
        }
        Attempt attempt = currentAttemptOrThrow();
        switch (status) {
            case RUNNING -> {
                if (attempt.awaitingRunning()) {
                    TimelineEntry entry = moveTo(
                            RunStatus.STOPPING,
                            now,
                            "start timeout: attempt " + attempt.number() + "'s task " + attempt.handle()
                                    + " was not running within "
                                    + timeouts.start().map(Object::toString).orElse("its limit") + "; stopping it");
                    attempt.stopRequested(StopCause.START_TIMEOUT, now);
                    deadline = now.plus(timeouts.stopGrace());
                    events.add(new RunEvent.StopRequested(id, job, attempt.number(), StopCause.START_TIMEOUT, entry));
                    return DeadlineAction.STOP_TASK;
                }
                TimelineEntry entry = moveTo(
                        RunStatus.STOPPING,
                        now,
                        "run timeout: attempt " + attempt.number() + " ran longer than "
                                + timeouts.run().map(Object::toString).orElse("its limit") + "; stopping it");
                attempt.stopRequested(StopCause.TIMEOUT, now);
                deadline = now.plus(timeouts.stopGrace());
                events.add(new RunEvent.StopRequested(id, job, attempt.number(), StopCause.TIMEOUT, entry));
                return DeadlineAction.STOP_TASK;
            }
            case STOPPING -> {
                if (attempt.handle() == null) {
                    // still launching when the stop was asked; the launcher stops what it gets
                    deadline = null;
                    return DeadlineAction.NONE;
                }
                TimelineEntry entry = note(
                        "the task did not stop within the stop grace of " + timeouts.stopGrace() + "; killing it", now);
                deadline = null;
                events.add(new RunEvent.KillRequested(id, job, attempt.number(), entry));
                return DeadlineAction.KILL_TASK;
            }
            case LAUNCHING, RETRY_WAIT -> {
                String why = "start timeout: attempt " + attempt.number() + " did not get a running task within "
                        + timeouts.start().map(Object::toString).orElse("its limit");
                if (status == RunStatus.LAUNCHING) {
                    TimelineEntry entry = moveTo(RunStatus.STOPPING, now, why);
                    attempt.stopRequested(StopCause.START_TIMEOUT, now);
                    deadline = null;
                    events.add(new RunEvent.StopRequested(id, job, attempt.number(), StopCause.START_TIMEOUT, entry));
                    return DeadlineAction.NONE;
                }
                attemptEnded(attempt, AttemptOutcome.NOT_STARTED, null, why, now);
                RetryDecisions.Decision decision = decisions.neverStarted(why, attempt.number(), now);
                if (decision instanceof RetryDecisions.Decision.Retry again) {
                    TimelineEntry entry = note(again.why(), now);
                    nextAttemptAt = again.at();
                    deadline = null;
                    reason = again.reason();
                    events.add(new RunEvent.RetryScheduled(
                            id, job, catalogVersion, attempt.number(), AttemptOutcome.NOT_STARTED, again.at(), entry));
                    return DeadlineAction.NONE;
                }
                RetryDecisions.Decision.Fail fail = (RetryDecisions.Decision.Fail) decision;
                TimelineEntry entry = moveTo(fail.status(), now, fail.why());
                nextAttemptAt = null;
                deadline = null;
                end(fail.reason(), now, entry);
                return DeadlineAction.NONE;
            }
            default -> {
                return DeadlineAction.NONE;
            }
        }
    }

    private void endStoppedBeforeStart(RetryDecisions decisions, Instant now) {
        Attempt attempt = currentAttemptOrThrow();
        StopCause cause = attempt.stopCause();
        boolean timedOut = cause == StopCause.TIMEOUT || cause == StopCause.START_TIMEOUT;
        String why = timedOut ? "start timeout: the task never started" : "cancelled before its task started";
        attemptEnded(attempt, AttemptOutcome.NOT_STARTED, null, why, now);
        if (cause == StopCause.START_TIMEOUT
                && decisions.neverStarted(why, attempt.number(), now) instanceof RetryDecisions.Decision.Retry again) {
            // the start timeout passed during a launch try: its startTimedOut rule applies, as it
            // does when the timeout finds the run waiting between tries
            TimelineEntry entry = moveTo(RunStatus.RETRY_WAIT, now, again.why());
            nextAttemptAt = again.at();
            deadline = null;
            reason = again.reason();
            events.add(new RunEvent.RetryScheduled(
                    id, job, catalogVersion, attempt.number(), AttemptOutcome.NOT_STARTED, again.at(), entry));
            return;
        }
        TimelineEntry entry = moveTo(timedOut ? RunStatus.TIMED_OUT : RunStatus.CANCELLED, now, why);
        deadline = null;
        end(why, now, entry);
    }

    /** The reason of the last transition into the given status (who asked to stop, and why). */
    private Optional<String> lastReasonOf(RunStatus target) {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            TimelineEntry entry = timeline.get(i);
            if (entry.to() == target && entry.from() != target) {
                return Optional.of(entry.reason());
            }
        }
        return Optional.empty();
    }

    /** The run reached a final status through {@code entry}. */
    private void end(String why, Instant now, TimelineEntry entry) {
        reason = why;
        finishedAt = now;
        nextAttemptAt = null;
        deadline = null;
        Attempt last = currentAttempt();
        events.add(new RunEvent.RunFinished(
                id,
                job,
                catalogVersion,
                last == null ? 0 : last.number(),
                status,
                exitCode,
                warning,
                reason,
                entry,
                source));
    }

    private void attemptEnded(
            Attempt attempt, AttemptOutcome outcome, @Nullable Integer code, String why, Instant now) {
        attempt.ended(outcome, code, why, now);
        events.add(new RunEvent.AttemptEnded(
                id, job, attempt.number(), outcome, code, why, attempt.runtime(), attempt.startedAt(), now));
    }

    /** True if the given attempt is this run's current one and still active: exits for others are stale. */
    public boolean isActiveAttempt(int attemptNumber) {
        Attempt current = currentAttempt();
        return current != null && current.number() == attemptNumber && current.isActive() && !status.isFinal();
    }

    private TimelineEntry moveTo(RunStatus next, Instant now, String why) {
        if (!status.canMoveTo(next)) {
            throw new IllegalRunTransitionException(id, status, next);
        }
        TimelineEntry entry = new TimelineEntry(timeline.size() + 1, now, status, next, why);
        timeline.add(entry);
        status = next;
        return entry;
    }

    /** A timeline entry that keeps the status. */
    private TimelineEntry note(String why, Instant now) {
        TimelineEntry entry = new TimelineEntry(timeline.size() + 1, now, status, status, why);
        timeline.add(entry);
        return entry;
    }

    private Attempt currentAttemptOrThrow() {
        Attempt current = currentAttempt();
        if (current == null) {
            throw new IllegalStateException("run " + id + " has no attempt yet");
        }
        return current;
    }

    /** The run is final and the log of every attempt is whole (see {@link Attempt#logComplete()}). */
    public boolean logComplete() {
        return status.isFinal() && attempts.stream().allMatch(Attempt::logComplete);
    }

    public @Nullable Attempt currentAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /** Timeline entries not yet stored; the ledger stores them and calls {@link #markPersisted()}. */
    public List<TimelineEntry> pendingTimeline() {
        return List.copyOf(timeline.subList(persistedTimelineSize, timeline.size()));
    }

    /**
     * How many of the attempts are stored already (the first ones; later ones are new). A run is
     * only stored under its version, so nobody else can have stored attempts since it was loaded.
     */
    public int persistedAttempts() {
        return persistedAttempts;
    }

    /**
     * Events recorded since the run was loaded or its events were last taken, oldest first. Whoever
     * stores the run takes them ({@link #clearEvents()}) and has them dispatched once the storing
     * transaction commits.
     */
    public List<RunEvent> events() {
        return List.copyOf(events);
    }

    public void clearEvents() {
        events.clear();
    }

    public void markPersisted() {
        persistedTimelineSize = timeline.size();
        persistedAttempts = attempts.size();
    }

    /**
     * The ledger stored this instance's changes over the version it was loaded at: the stored
     * version is one more, and this instance can be changed and stored again without a reload.
     */
    public void markUpdated() {
        version++;
        markPersisted();
    }

    /**
     * The values as they are stored: in clear while the run may still launch an attempt (a retry
     * launches with the same values), secret ones masked once the run is final and nothing will
     * read them again.
     */
    public Map<String, String> storedParams() {
        return status.isFinal() ? maskedParams() : params;
    }

    /**
     * Whether a trigger's values are this run's. Secret values are not kept in clear (sealed while
     * the run is active, masked once it is final), so a secret parameter must only be given, whatever
     * its value.
     */
    public boolean hasParams(Map<String, String> values) {
        if (secretParams.isEmpty()) {
            return params.equals(values);
        }
        Map<String, String> masked = new LinkedHashMap<>();
        values.forEach((name, value) -> masked.put(name, secretParams.contains(name) ? MASK : value));
        return maskedParams().equals(masked);
    }

    /** The caller's values with secret ones replaced, for anything shown back or logged. */
    public Map<String, String> maskedParams() {
        Map<String, String> masked = new LinkedHashMap<>();
        params.forEach((name, value) -> masked.put(name, secretParams.contains(name) ? MASK : value));
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

    /**
     * The caller's values, secrets included: in clear for a run just accepted, sealed for one
     * restored from storage (the ledger opens them for a launch).
     */
    public Map<String, String> params() {
        return params;
    }

    public Set<String> secretParams() {
        return secretParams;
    }

    public String requestedBy() {
        return requestedBy;
    }

    /** How the run came to be: the API, jobctl, the console, a schedule or a job net. */
    public RunSource source() {
        return source;
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

    /** The next moment something must happen to this run: a start or run timeout, or a kill. */
    public @Nullable Instant deadline() {
        return deadline;
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
            RunSource source,
            @Nullable String idempotencyKey,
            Instant createdAt,
            RunStatus status,
            @Nullable Integer exitCode,
            boolean warning,
            String reason,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable Instant nextAttemptAt,
            @Nullable Instant deadline,
            List<Attempt> attempts,
            List<TimelineEntry> timeline,
            int version) {}
}
