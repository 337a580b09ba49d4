package io.batchgate.runner.run;

import io.batchgate.catalog.AttemptEnd;
import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.catalog.ExitJudgment;
import io.batchgate.catalog.RetryAction;
import io.batchgate.catalog.RetryPolicy;
import io.batchgate.catalog.RetryRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The exit judgment and retry decision for an attempt's end, in one place: what the run does next,
 * as a pure function of how the attempt ended, how many attempts the run has had and the job's
 * policies ({@link ExitCodePolicy} judges the code, {@link RetryPolicy} matches the retry rules,
 * {@link RetryDelays} gives the jittered backoff). {@link Run} applies the decision; it does not
 * compute it.
 *
 * <p>A stop batchgate asked for decides first: cancel and replace end CANCELLED. Otherwise the
 * exit code is judged, and an end without a code is a failure whatever the reason; a run or start
 * timeout is a failure of its own kind (TIMED_OUT). A failure is retried when the first matching
 * rule says RETRY and an attempt is left. A lost task record is never retried, whatever the rules
 * say: the task may have run to success.
 */
public record RetryDecisions(ExitCodePolicy exitCodes, RetryPolicy retry, RetryDelays delays) {

    /** Judges exit codes only: one attempt, no retries. */
    public static RetryDecisions judgingOnly(ExitCodePolicy exitCodes) {
        return new RetryDecisions(exitCodes, RetryPolicy.none(), n -> Duration.ZERO);
    }

    /** What the run does after its attempt's end. */
    public sealed interface Decision {

        /** batchgate asked the task to stop for a cancel or a replace: CANCELLED. */
        record Cancel(boolean replaced) implements Decision {}

        /** The exit code is a success or a warning: SUCCEEDED. */
        record Succeed(boolean warning, String why) implements Decision {}

        /**
         * Final failure: {@code status} is FAILED or TIMED_OUT, {@code why} goes to the timeline and
         * {@code reason} is the run's reason.
         */
        record Fail(RunStatus status, String why, String reason) implements Decision {}

        /** Another attempt at {@code at}; {@code why} goes to the timeline, {@code reason} is the failure. */
        record Retry(Instant at, String why, String reason) implements Decision {}
    }

    /**
     * The task of attempt number {@code attempt} (the run's latest) ended with {@code exit};
     * {@code stopCause} is why batchgate asked it to stop, if it did.
     */
    public Decision taskEnded(TaskExit exit, @Nullable StopCause stopCause, int attempt, Instant now) {
        if (stopCause == StopCause.CANCEL || stopCause == StopCause.REPLACE) {
            return new Decision.Cancel(stopCause == StopCause.REPLACE);
        }
        boolean timedOut = stopCause == StopCause.TIMEOUT;
        boolean startTimedOut = stopCause == StopCause.START_TIMEOUT;
        RunStatus failed = timedOut || startTimedOut ? RunStatus.TIMED_OUT : RunStatus.FAILED;
        OptionalInt code = exit.exitCode();
        if (!timedOut && !startTimedOut && code.isPresent()) {
            ExitJudgment judgment = exitCodes.judge(code.getAsInt());
            if (judgment != ExitJudgment.FAILURE) {
                boolean warning = judgment == ExitJudgment.WARNING;
                return new Decision.Succeed(
                        warning, "exit code " + code.getAsInt() + (warning ? " is a warning" : " is a success"));
            }
        }
        if (exit.recordLost()) {
            // It may have succeeded, failed or still be running: no retry rule may launch it again.
            String why = (failed == RunStatus.TIMED_OUT ? "timed out, then " : "") + exit.reason();
            return new Decision.Fail(failed, why, why);
        }
        String failure = timedOut
                ? "timed out (the run timeout stopped the task; " + exit.reason() + ")"
                : startTimedOut
                        ? "start timeout (the task was not running in time and was stopped; " + exit.reason() + ")"
                        : code.isPresent()
                                ? "exit code " + code.getAsInt() + " is a failure"
                                : "task ended without an exit code: " + exit.reason();
        AttemptEnd end = new AttemptEnd(code, exit.stopCode(), exit.reason(), timedOut, startTimedOut);
        Optional<RetryRule> rule = retry.matching(end);
        if (retry.decide(end, attempt) == RetryAction.RETRY) {
            Instant at = now.plus(delays.delay(attempt));
            return new Decision.Retry(
                    at,
                    "attempt " + attempt + " " + failure + "; "
                            + rule.map(RetryRule::describe).orElse("retry") + " → attempt " + (attempt + 1) + " of "
                            + retry.maxAttempts() + " at " + at,
                    failure);
        }
        String why = failure
                + rule.filter(r -> r.action() == RetryAction.RETRY)
                        .map(r -> "; no attempt left (maxAttempts " + retry.maxAttempts() + ")")
                        .orElse(rule.map(r -> "; " + r.describe()).orElse(""));
        return new Decision.Fail(failed, why, failure);
    }

    /**
     * Attempt number {@code attempt} never got a running task within the start timeout ({@code why}
     * says so) while it waited for another launch try: the retry rules see a start timeout.
     */
    public Decision neverStarted(String why, int attempt, Instant now) {
        AttemptEnd end = new AttemptEnd(OptionalInt.empty(), "", why, false, true);
        Optional<RetryRule> rule = retry.matching(end);
        if (retry.decide(end, attempt) == RetryAction.RETRY) {
            Instant at = now.plus(delays.delay(attempt));
            return new Decision.Retry(
                    at,
                    why + "; " + rule.map(RetryRule::describe).orElse("retry") + " → attempt " + (attempt + 1) + " of "
                            + retry.maxAttempts() + " at " + at,
                    why);
        }
        return new Decision.Fail(RunStatus.TIMED_OUT, why, why);
    }
}
