package io.batchgate.runner.run;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What happened to a run, as {@link Run}'s methods record it. The ledger takes a run's events
 * when it stores the run and hands them to {@link RunEventListener}s once the storing transaction
 * is decided, so a listener never hears of a change that was rolled back. Each event carries what
 * its listeners need, as it was when the event happened.
 */
public sealed interface RunEvent {

    RunId runId();

    String job();

    Instant at();

    /**
     * The number of the run's current attempt once the event happened (for {@link RetryScheduled},
     * the attempt that failed); 0 before the first claim.
     */
    int attempt();

    /** An event that wrote one entry of the run's timeline (all but {@link AttemptEnded}). */
    sealed interface Recorded extends RunEvent {

        TimelineEntry entry();

        @Override
        default Instant at() {
            return entry().at();
        }
    }

    /** A trigger was accepted: the run exists, QUEUED. */
    record RunAccepted(RunId runId, String job, String requestedBy, TimelineEntry entry) implements Recorded {
        @Override
        public int attempt() {
            return 0;
        }
    }

    /** The new run re-runs an earlier one of the same scheduler execution. */
    record RerunLinked(RunId runId, String job, RunId previous, TimelineEntry entry) implements Recorded {
        @Override
        public int attempt() {
            return 0;
        }
    }

    /** The run was taken for launching: a new attempt, or another launch try of the current one. */
    record AttemptClaimed(RunId runId, String job, int attempt, String runtime, int launchTry, TimelineEntry entry)
            implements Recorded {}

    /** The runtime refused the launch for a reason that may pass; the same attempt is tried again at {@code retryAt}. */
    record LaunchDeferred(RunId runId, String job, int attempt, Instant retryAt, TimelineEntry entry)
            implements Recorded {}

    /**
     * The attempt's task was launched and the run is RUNNING; {@code running} is false while ECS still
     * provisions it. {@code acceptedAt} is when the run was accepted (its time in the queue ends here
     * for attempt 1).
     */
    record AttemptStarted(
            RunId runId,
            String job,
            String catalogVersion,
            int attempt,
            TaskHandle handle,
            boolean running,
            String runtime,
            Instant acceptedAt,
            TimelineEntry entry)
            implements Recorded {}

    /** The attempt's task was launched after the run was asked to stop: the launcher stops it. */
    record StartedWhileStopping(RunId runId, String job, int attempt, TaskHandle handle, TimelineEntry entry)
            implements Recorded {}

    /** A task launched as not yet running (ECS PENDING) runs now. */
    record TaskRunning(RunId runId, String job, int attempt, TaskHandle handle, TimelineEntry entry)
            implements Recorded {}

    /** batchgate asked the attempt's task to stop (cancel, replace, run or start timeout): the run is STOPPING. */
    record StopRequested(RunId runId, String job, int attempt, StopCause cause, TimelineEntry entry)
            implements Recorded {}

    /** The task did not stop within the stop grace: it is killed. */
    record KillRequested(RunId runId, String job, int attempt, TimelineEntry entry) implements Recorded {}

    /**
     * The attempt ended; what the run made of it follows as {@link RetryScheduled} or {@link
     * RunFinished}. {@code startedAt} is when its task ran, null if it never ran.
     */
    record AttemptEnded(
            RunId runId,
            String job,
            int attempt,
            AttemptOutcome outcome,
            @Nullable Integer exitCode,
            String reason,
            String runtime,
            @Nullable Instant startedAt,
            Instant at)
            implements RunEvent {}

    /**
     * The attempt failed and a retry rule tries again: RETRY_WAIT until {@code nextAttemptAt}.
     * {@code outcome} is how the failed attempt ended ({@link AttemptOutcome#NOT_STARTED} if it never
     * got a task).
     */
    record RetryScheduled(
            RunId runId,
            String job,
            String catalogVersion,
            int attempt,
            AttemptOutcome outcome,
            Instant nextAttemptAt,
            TimelineEntry entry)
            implements Recorded {}

    /**
     * The run reached its final status; {@code attempt} is 0 if it never launched. {@code source}
     * lets a job net find its member's end without a query for every other run.
     */
    record RunFinished(
            RunId runId,
            String job,
            String catalogVersion,
            int attempt,
            RunStatus status,
            @Nullable Integer exitCode,
            boolean warning,
            String reason,
            TimelineEntry entry,
            RunSource source)
            implements Recorded {}
}
