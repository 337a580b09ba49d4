package io.batchgate.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.run.RetryDecisions.Decision;
import io.batchgate.runner.testing.TestCatalogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exit judgment and retry decision as a table: how an attempt ended → what the run does next. */
class RetryDecisionsTests {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    static Path dir;

    private static RetryDecisions decisions;

    @BeforeAll
    static void catalog() {
        JobDefinition job = TestCatalogs.load(dir, """
                        jobs:
                          flaky:
                            local: { command: ["true"] }
                            exitCodes: { success: [0], warning: [1] }
                            retry:
                              maxAttempts: 3
                              rules:
                                - exitCodes: [75]
                                  action: RETRY
                                - stopCode: "Spot*"
                                  action: RETRY
                                - timedOut: true
                                  action: RETRY
                                - startTimedOut: true
                                  action: RETRY
                                - exitCodes: [2]
                                  action: FAIL
                                - lost: true
                                  action: RETRY
                        """).job("flaky").orElseThrow();
        // the n-th retry waits n × 10 s: the table shows which retry number the policy asks for
        decisions = new RetryDecisions(job.exitCodes(), job.retry(), n -> Duration.ofSeconds(10L * n));
    }

    private static TaskExit code(int code) {
        return TaskExit.code(code);
    }

    private static TaskExit stopped(String stopCode, String reason) {
        return new TaskExit(OptionalInt.empty(), stopCode, reason);
    }

    /** The expected decision: its kind, the run status it leads to, its reason, and part of its timeline text. */
    private record Expected(String kind, @Nullable RunStatus status, String reason, String whyContains) {}

    private static Expected succeed(String why) {
        return new Expected("succeed", RunStatus.SUCCEEDED, why, why);
    }

    private static Expected warn(String why) {
        return new Expected("warn", RunStatus.SUCCEEDED, why, why);
    }

    private static Expected retryIn(int seconds, String reason, String whyContains) {
        return new Expected("retry +" + seconds + "s", RunStatus.RETRY_WAIT, reason, whyContains);
    }

    private static Expected fail(RunStatus status, String reason, String whyContains) {
        return new Expected("fail", status, reason, whyContains);
    }

    private static Expected cancel(boolean replaced) {
        return new Expected(replaced ? "replaced" : "cancelled", RunStatus.CANCELLED, "", "");
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("0 is a success", code(0), null, 1, succeed("exit code 0 is a success")),
                Arguments.of("1 is a warning", code(1), null, 1, warn("exit code 1 is a warning")),
                Arguments.of(
                        "75 is retried: retry 1",
                        code(75),
                        null,
                        1,
                        retryIn(10, "exit code 75 is a failure", "(exitCodes 75 → RETRY) → attempt 2 of 3 at")),
                Arguments.of(
                        "75 on the second attempt: retry 2",
                        code(75),
                        null,
                        2,
                        retryIn(20, "exit code 75 is a failure", "attempt 2 exit code 75 is a failure;")),
                Arguments.of(
                        "75 with no attempt left",
                        code(75),
                        null,
                        3,
                        fail(RunStatus.FAILED, "exit code 75 is a failure", "; no attempt left (maxAttempts 3)")),
                Arguments.of(
                        "2 hits the FAIL rule",
                        code(2),
                        null,
                        1,
                        fail(RunStatus.FAILED, "exit code 2 is a failure", "(exitCodes 2 → FAIL)")),
                Arguments.of(
                        "3 matches no rule",
                        code(3),
                        null,
                        1,
                        fail(RunStatus.FAILED, "exit code 3 is a failure", "exit code 3 is a failure")),
                Arguments.of(
                        "a spot interruption without a code is retried",
                        stopped("SpotInterruption", "spot"),
                        null,
                        1,
                        retryIn(10, "task ended without an exit code: spot", "(stopCode 'Spot*' → RETRY)")),
                Arguments.of(
                        "a run timeout fails even with exit code 0, and is retried",
                        code(0),
                        StopCause.TIMEOUT,
                        1,
                        retryIn(
                                10,
                                "timed out (the run timeout stopped the task; exited with code 0)",
                                "(timedOut true → RETRY)")),
                Arguments.of(
                        "a run timeout with no attempt left is TIMED_OUT",
                        code(143),
                        StopCause.TIMEOUT,
                        3,
                        fail(
                                RunStatus.TIMED_OUT,
                                "timed out (the run timeout stopped the task; exited with code 143)",
                                "")),
                Arguments.of(
                        "a start timeout is retried by its own rule",
                        stopped("", "stopped"),
                        StopCause.START_TIMEOUT,
                        1,
                        retryIn(
                                10,
                                "start timeout (the task was not running in time and was stopped; stopped)",
                                "(startTimedOut true → RETRY)")),
                Arguments.of(
                        "a lost task record is never retried, whatever the rules",
                        TaskExit.recordLost("gone"),
                        null,
                        1,
                        fail(RunStatus.FAILED, "gone", "gone")),
                Arguments.of(
                        "a lost record after a timeout is TIMED_OUT",
                        TaskExit.recordLost("gone"),
                        StopCause.TIMEOUT,
                        1,
                        fail(RunStatus.TIMED_OUT, "timed out, then gone", "timed out, then gone")),
                Arguments.of("a cancel decides first", code(0), StopCause.CANCEL, 1, cancel(false)),
                Arguments.of("a replace decides first", code(75), StopCause.REPLACE, 1, cancel(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decidesWhatTheRunDoesNext(String name, TaskExit exit, StopCause cause, int attempt, Expected expected) {
        assertThat(summary(decisions.taskEnded(exit, cause, attempt, T0))).satisfies(actual -> {
            assertThat(actual.kind()).isEqualTo(expected.kind());
            assertThat(actual.status()).isEqualTo(expected.status());
            assertThat(actual.reason()).isEqualTo(expected.reason());
            assertThat(actual.whyContains()).contains(expected.whyContains());
        });
    }

    @Test
    void anAttemptThatNeverStartedIsRetriedAsAStartTimeoutWhileAnAttemptIsLeft() {
        Decision first = decisions.neverStarted("start timeout: no task", 1, T0);
        assertThat(first).isInstanceOfSatisfying(Decision.Retry.class, retry -> {
            assertThat(retry.at()).isEqualTo(T0.plusSeconds(10));
            assertThat(retry.why()).contains("(startTimedOut true → RETRY) → attempt 2 of 3");
        });
        assertThat(decisions.neverStarted("start timeout: no task", 3, T0))
                .isEqualTo(new Decision.Fail(RunStatus.TIMED_OUT, "start timeout: no task", "start timeout: no task"));
    }

    @Test
    void judgingOnlyNeverRetries() {
        RetryDecisions judging = RetryDecisions.judgingOnly(io.batchgate.catalog.ExitCodePolicy.defaults());
        assertThat(judging.taskEnded(code(75), null, 1, T0))
                .isEqualTo(
                        new Decision.Fail(RunStatus.FAILED, "exit code 75 is a failure", "exit code 75 is a failure"));
    }

    private static Expected summary(Decision decision) {
        if (decision instanceof Decision.Succeed s) {
            return new Expected(s.warning() ? "warn" : "succeed", RunStatus.SUCCEEDED, s.why(), s.why());
        }
        if (decision instanceof Decision.Retry r) {
            long seconds = Duration.between(T0, r.at()).toSeconds();
            return new Expected("retry +" + seconds + "s", RunStatus.RETRY_WAIT, r.reason(), r.why());
        }
        if (decision instanceof Decision.Fail f) {
            return new Expected("fail", f.status(), f.reason(), f.why());
        }
        Decision.Cancel c = (Decision.Cancel) decision;
        return new Expected(c.replaced() ? "replaced" : "cancelled", RunStatus.CANCELLED, "", "");
    }
}
