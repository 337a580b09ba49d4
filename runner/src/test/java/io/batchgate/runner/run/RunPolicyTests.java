package io.batchgate.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.Backoff;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.catalog.Timeouts;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.testing.TestCatalogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Retries, cancel and timeouts as the run aggregate applies them, with policies from a real catalog. */
class RunPolicyTests {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private static final RetryDelays TEN_SECONDS = n -> Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static JobDefinition job;

    @BeforeAll
    static void catalog() {
        job = TestCatalogs.load(dir, """
                        jobs:
                          flaky:
                            local: { command: ["true"] }
                            exitCodes: { success: [0], warning: [1] }
                            retry:
                              maxAttempts: 3
                              backoff: { initial: 10s, multiplier: 2.0, max: 1m }
                              rules:
                                - exitCodes: [75, "100-110"]
                                  action: RETRY
                                - stopCode: "Spot*"
                                  action: RETRY
                                - stopReason: "*CannotPullContainerError*"
                                  action: RETRY
                                - timedOut: true
                                  action: RETRY
                                - exitCodes: [2]
                                  action: FAIL
                            timeouts: { run: 1h, start: 10m, stopGrace: 30s }
                        """).job("flaky").orElseThrow();
    }

    private static Run running() {
        Run run = Run.accept(
                RunId.next(T0.toEpochMilli(), new Random(1)), "flaky", "v", Map.of(), Set.of(), "ci", null, T0);
        run.claim("local", job.timeouts(), T0);
        run.started(new TaskHandle("local", "1@1"), job.timeouts(), T0);
        return run;
    }

    private static TaskExit exit(Integer code, String stopCode, String reason) {
        return new TaskExit(code == null ? OptionalInt.empty() : OptionalInt.of(code), stopCode, reason);
    }

    static Stream<Arguments> ends() {
        return Stream.of(
                Arguments.of("exit 75 matches a value", exit(75, "", ""), RunStatus.RETRY_WAIT),
                Arguments.of("exit 105 matches a range", exit(105, "", ""), RunStatus.RETRY_WAIT),
                Arguments.of("exit 111 is outside the range", exit(111, "", ""), RunStatus.FAILED),
                Arguments.of("exit 2 hits the FAIL rule", exit(2, "", ""), RunStatus.FAILED),
                Arguments.of("exit 1 is a warning: no retry", exit(1, "", ""), RunStatus.SUCCEEDED),
                Arguments.of(
                        "Spot interruption by stop-code glob",
                        exit(null, "SpotInterruption", "spot"),
                        RunStatus.RETRY_WAIT),
                Arguments.of(
                        "image pull by reason glob",
                        exit(null, "TaskFailedToStart", "CannotPullContainerError: pull access denied"),
                        RunStatus.RETRY_WAIT),
                Arguments.of(
                        "a lost task matching no rule",
                        exit(null, "TaskFailedToStart", "OutOfMemory"),
                        RunStatus.FAILED),
                Arguments.of("no rule matches: implicit FAIL", exit(3, "", ""), RunStatus.FAILED));
    }

    private static JobDefinition capacityJob(Path dir) {
        return TestCatalogs.load(dir, """
                        jobs:
                          spot:
                            ecs: { cluster: batch, taskDefinition: "t:1", container: app }
                            timeouts: { start: 15m, run: 1h }
                            retry:
                              maxAttempts: 2
                              rules:
                                - startTimedOut: true
                                  action: RETRY
                        """).job("spot").orElseThrow();
    }

    private static Run startedNotRunning(JobDefinition spot) {
        Run run = Run.accept(
                RunId.next(T0.toEpochMilli(), new Random(2)), "spot", "v", Map.of(), Set.of(), "ci", null, T0);
        run.claim("ecs", spot.timeouts(), T0);
        run.started(new TaskHandle("ecs", "arn:aws:ecs:r:1:task/batch/a"), spot.timeouts(), false, T0.plusSeconds(1));
        return run;
    }

    /** Capacity did not come within 15 minutes: the start timeout stops the task, and the rule tries once more. */
    @Test
    void aTaskNotRunningWithinTheStartTimeoutIsStoppedAndRetriedByAStartTimedOutRule(@TempDir Path catalogDir) {
        JobDefinition spot = capacityJob(catalogDir);
        Run run = startedNotRunning(spot);
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.deadline()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(run.deadlinePassed(spot.timeouts(), T0.plus(Duration.ofMinutes(14))))
                .isEqualTo(DeadlineAction.NONE);

        assertThat(run.deadlinePassed(spot.timeouts(), T0.plus(Duration.ofMinutes(15))))
                .isEqualTo(DeadlineAction.STOP_TASK);
        assertThat(run.status()).isEqualTo(RunStatus.STOPPING);
        assertThat(run.currentAttempt().stopCause()).isEqualTo(StopCause.START_TIMEOUT);
        run.finished(
                exit(null, "UserInitiated", "batchgate: start timeout"),
                spot.exitCodes(),
                spot.retry(),
                TEN_SECONDS,
                T0.plus(Duration.ofMinutes(16)));
        assertThat(run.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(run.timeline().get(run.timeline().size() - 1).reason())
                .contains("start timeout")
                .contains("startTimedOut true → RETRY");

        run.claim("ecs", spot.timeouts(), T0.plus(Duration.ofMinutes(17)));
        run.started(
                new TaskHandle("ecs", "arn:aws:ecs:r:1:task/batch/b"),
                spot.timeouts(),
                false,
                T0.plus(Duration.ofMinutes(17)));
        run.deadlinePassed(spot.timeouts(), T0.plus(Duration.ofMinutes(32)));
        run.finished(
                exit(null, "UserInitiated", "batchgate: start timeout"),
                spot.exitCodes(),
                spot.retry(),
                TEN_SECONDS,
                T0.plus(Duration.ofMinutes(33)));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.reason()).startsWith("start timeout");
    }

    /** RunTask refused for lack of capacity until the start timeout: a start timeout too, retried by the rule. */
    @Test
    void aLaunchStillRefusedForCapacityAtTheStartTimeoutIsRetriedByAStartTimedOutRule(@TempDir Path catalogDir) {
        JobDefinition spot = capacityJob(catalogDir);
        Run run = Run.accept(
                RunId.next(T0.toEpochMilli(), new Random(3)), "spot", "v", Map.of(), Set.of(), "ci", null, T0);
        run.claim("ecs", spot.timeouts(), T0);
        run.launchDeferred("Capacity is unavailable at this time", T0.plus(Duration.ofMinutes(16)), T0.plusSeconds(1));

        assertThat(run.deadlinePassed(spot.timeouts(), spot.retry(), TEN_SECONDS, T0.plus(Duration.ofMinutes(15))))
                .isEqualTo(DeadlineAction.NONE);

        assertThat(run.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(run.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.NOT_STARTED);
        assertThat(run.nextAttemptAt())
                .isEqualTo(T0.plus(Duration.ofMinutes(15)).plusSeconds(10));
        assertThat(run.timeline().get(run.timeline().size() - 1).reason())
                .startsWith("start timeout")
                .contains("startTimedOut true → RETRY");
        Attempt second = run.claim("ecs", spot.timeouts(), run.nextAttemptAt());
        assertThat(second.number()).isEqualTo(2);
        run.launchDeferred("Capacity is unavailable at this time", T0.plus(Duration.ofHours(1)), run.nextAttemptAt());
        run.deadlinePassed(spot.timeouts(), spot.retry(), TEN_SECONDS, T0.plus(Duration.ofMinutes(31)));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.attempts()).hasSize(2);
    }

    /**
     * The start timeout passes while a launch try is in flight (LAUNCHING → STOPPING); that try is
     * then refused for capacity: the start-timeout rule still decides, as between tries.
     */
    @Test
    void aStartTimeoutDuringALaunchTryIsRetriedByAStartTimedOutRule(@TempDir Path catalogDir) {
        JobDefinition spot = capacityJob(catalogDir);
        RetryDecisions decisions = new RetryDecisions(spot.exitCodes(), spot.retry(), TEN_SECONDS);
        Run run = Run.accept(
                RunId.next(T0.toEpochMilli(), new Random(4)), "spot", "v", Map.of(), Set.of(), "ci", null, T0);
        run.claim("ecs", spot.timeouts(), T0);
        assertThat(run.deadlinePassed(spot.timeouts(), decisions, T0.plus(Duration.ofMinutes(15))))
                .isEqualTo(DeadlineAction.NONE);
        assertThat(run.status()).isEqualTo(RunStatus.STOPPING);

        Instant refusedAt = T0.plus(Duration.ofMinutes(15)).plusSeconds(2);
        run.launchDeferred("Capacity is unavailable at this time", refusedAt.plusSeconds(30), decisions, refusedAt);

        assertThat(run.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(run.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.NOT_STARTED);
        assertThat(run.nextAttemptAt()).isEqualTo(refusedAt.plusSeconds(10));
        assertThat(run.timeline().get(run.timeline().size() - 1).reason())
                .startsWith("start timeout")
                .contains("startTimedOut true → RETRY");
        Instant secondAt = run.nextAttemptAt();
        assertThat(run.claim("ecs", spot.timeouts(), secondAt).number()).isEqualTo(2);

        // the second attempt has no attempt left: the same race ends it TIMED_OUT
        run.deadlinePassed(spot.timeouts(), decisions, secondAt.plus(Duration.ofMinutes(15)));
        assertThat(run.status()).isEqualTo(RunStatus.STOPPING);
        run.launchFailed("Capacity is unavailable at this time", decisions, T0.plus(Duration.ofMinutes(40)));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.attempts()).hasSize(2);
    }

    /** Once the task runs, the start timeout is met and the run timeout counts from then; a rule for start timeouts does not retry it. */
    @Test
    void aTaskThatRunsInTimeGetsItsRunTimeoutFromThenAndIsNotAStartTimeout(@TempDir Path catalogDir) {
        JobDefinition spot = capacityJob(catalogDir);
        Run run = startedNotRunning(spot);
        assertThat(run.startedAt()).isNull();
        assertThat(run.currentAttempt().startedAt()).isNull();

        assertThat(run.taskRunning(spot.timeouts(), T0.plus(Duration.ofMinutes(10))))
                .isTrue();
        assertThat(run.taskRunning(spot.timeouts(), T0.plus(Duration.ofMinutes(11))))
                .isFalse();

        assertThat(run.startedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(run.deadline()).isEqualTo(T0.plus(Duration.ofMinutes(70)));
        assertThat(run.deadlinePassed(spot.timeouts(), T0.plus(Duration.ofMinutes(70))))
                .isEqualTo(DeadlineAction.STOP_TASK);
        assertThat(run.currentAttempt().stopCause()).isEqualTo(StopCause.TIMEOUT);
        run.finished(
                exit(143, "UserInitiated", "run timeout"),
                spot.exitCodes(),
                spot.retry(),
                TEN_SECONDS,
                T0.plus(Duration.ofMinutes(71)));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.attempts()).hasSize(1);
    }

    /** Rules that retry other ends: a catch-all, ends without a code, timeouts, exit codes. */
    static Stream<Arguments> retryingRules() {
        return Stream.of(
                Arguments.of("- action: RETRY", false, true),
                Arguments.of("- lost: true\n  action: RETRY", false, true),
                Arguments.of("- timedOut: true\n  action: RETRY", true, true),
                Arguments.of("- exitCodes: [\"0-255\"]\n  action: RETRY", false, false));
    }

    /** A lost task record may hide a success: no rule, not even a catch-all, retries it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("retryingRules")
    void aLostTaskRecordIsNeverRetriedWhateverTheRules(
            String rules, boolean timedOutEnd, boolean retriesALostEnd, @TempDir Path catalogDir) {
        JobDefinition greedy = TestCatalogs.load(catalogDir, """
                        jobs:
                          greedy:
                            local: { command: ["true"] }
                            timeouts: { run: 1h }
                            retry:
                              maxAttempts: 5
                              rules:
                              %s
                        """.formatted(rules.replace("\n", "\n      ")))
                .job("greedy")
                .orElseThrow();
        TaskExit lost = TaskExit.recordLost("task record lost: ECS no longer describes arn:x");
        if (retriesALostEnd) {
            assertThat(greedy.retry()
                            .decide(
                                    new io.batchgate.catalog.AttemptEnd(
                                            lost.exitCode(), lost.stopCode(), lost.reason(), timedOutEnd),
                                    1))
                    .as("the rule retries an ordinary end without an exit code")
                    .isEqualTo(io.batchgate.catalog.RetryAction.RETRY);
        }

        Run run = running();
        run.finished(lost, greedy.exitCodes(), greedy.retry(), TEN_SECONDS, T0.plusSeconds(5));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.currentAttempt().outcome()).isEqualTo(AttemptOutcome.RECORD_LOST);
        assertThat(run.reason()).startsWith("task record lost");
        assertThat(run.nextAttemptAt()).isNull();

        Run timedOut = running();
        timedOut.deadlinePassed(greedy.timeouts(), T0.plus(Duration.ofHours(2)));
        timedOut.finished(lost, greedy.exitCodes(), greedy.retry(), TEN_SECONDS, T0.plus(Duration.ofHours(3)));
        assertThat(timedOut.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(timedOut.currentAttempt().outcome()).isEqualTo(AttemptOutcome.RECORD_LOST);
        assertThat(timedOut.attempts()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ends")
    void theFirstMatchingRuleDecides(String name, TaskExit exit, RunStatus expected) {
        Run run = running();
        run.finished(exit, job.exitCodes(), job.retry(), TEN_SECONDS, T0.plusSeconds(5));
        assertThat(run.status()).isEqualTo(expected);
        if (expected == RunStatus.RETRY_WAIT) {
            assertThat(run.nextAttemptAt()).isEqualTo(T0.plusSeconds(15));
            assertThat(run.timeline().get(run.timeline().size() - 1).reason()).contains("→ attempt 2 of 3");
            assertThat(run.isDueForLaunch(T0.plusSeconds(14))).isFalse();
            assertThat(run.isDueForLaunch(T0.plusSeconds(15))).isTrue();
        }
    }

    @Test
    void aRetryIsANewAttemptAndAttemptsNeverExceedMaxAttempts() {
        Run run = running();
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (attempt > 1) {
                Attempt next = run.claim("local", job.timeouts(), T0.plusSeconds(100L * attempt));
                assertThat(next.number()).isEqualTo(attempt);
                run.started(new TaskHandle("local", attempt + "@1"), job.timeouts(), T0.plusSeconds(100L * attempt));
            }
            run.finished(
                    exit(75, "", ""), job.exitCodes(), job.retry(), TEN_SECONDS, T0.plusSeconds(100L * attempt + 1));
        }
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.attempts()).hasSize(3);
        assertThat(run.reason()).isEqualTo("exit code 75 is a failure");
        assertThat(run.timeline().get(run.timeline().size() - 1).reason()).contains("no attempt left (maxAttempts 3)");
    }

    @Test
    void fullJitterStaysWithinTheBackoffCeilingAndUsesAllOfIt() {
        Backoff backoff = job.retry().backoff();
        RetryDelays delays = new FullJitter(new Random(7)).of(backoff);
        for (int retry = 1; retry <= 4; retry++) {
            Duration ceiling = backoff.ceiling(retry);
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long nanos = delays.delay(retry).toNanos();
                assertThat(nanos).isBetween(0L, ceiling.toNanos());
                min = Math.min(min, nanos);
                max = Math.max(max, nanos);
            }
            assertThat(min).isLessThan(ceiling.toNanos() / 20);
            assertThat(max).isGreaterThan(ceiling.toNanos() * 19 / 20);
        }
        assertThat(Stream.of(1, 2, 3, 4).map(backoff::ceiling))
                .containsExactly(
                        Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofMinutes(1));
    }

    @Test
    void cancelInEveryState() {
        Timeouts timeouts = job.timeouts();
        Run queued = Run.accept(RunId.next(1, new Random(2)), "flaky", "v", Map.of(), Set.of(), "ci", null, T0);
        assertThat(queued.cancel("op", StopCause.CANCEL, timeouts, T0)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(queued.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(queued.cancel("again", StopCause.CANCEL, timeouts, T0)).isEqualTo(CancelOutcome.ALREADY_DONE);

        Run launching = Run.accept(RunId.next(1, new Random(3)), "flaky", "v", Map.of(), Set.of(), "ci", null, T0);
        launching.claim("local", timeouts, T0);
        assertThat(launching.cancel("op", StopCause.CANCEL, timeouts, T0)).isEqualTo(CancelOutcome.STOP_WHEN_LAUNCHED);
        launching.started(new TaskHandle("local", "9@9"), timeouts, T0);
        assertThat(launching.status()).isEqualTo(RunStatus.STOPPING);
        launching.finished(exit(143, "", "SIGTERM"), job.exitCodes(), job.retry(), TEN_SECONDS, T0);
        assertThat(launching.status()).isEqualTo(RunStatus.CANCELLED);

        Run refusedWhileStopping =
                Run.accept(RunId.next(1, new Random(4)), "flaky", "v", Map.of(), Set.of(), "ci", null, T0);
        refusedWhileStopping.claim("ecs", timeouts, T0);
        refusedWhileStopping.cancel("op", StopCause.CANCEL, timeouts, T0);
        refusedWhileStopping.launchDeferred("RESOURCE:MEMORY", T0.plusSeconds(5), T0);
        assertThat(refusedWhileStopping.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(refusedWhileStopping.currentAttempt().outcome()).isEqualTo(AttemptOutcome.NOT_STARTED);

        Run running = running();
        assertThat(running.cancel("op", StopCause.CANCEL, timeouts, T0)).isEqualTo(CancelOutcome.STOP_TASK);
        assertThat(running.cancel("op", StopCause.CANCEL, timeouts, T0)).isEqualTo(CancelOutcome.ALREADY_DONE);
        running.finished(exit(0, "", "exited anyway"), job.exitCodes(), job.retry(), TEN_SECONDS, T0);
        assertThat(running.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(running.exitCode()).isZero();

        Run waiting = running();
        waiting.finished(exit(75, "", ""), job.exitCodes(), job.retry(), TEN_SECONDS, T0);
        assertThat(waiting.cancel("op", StopCause.CANCEL, timeouts, T0)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(waiting.nextAttemptAt()).isNull();

        Run done = running();
        done.finished(exit(0, "", ""), job.exitCodes(), job.retry(), TEN_SECONDS, T0);
        assertThatThrownBy(() -> done.cancel("op", StopCause.CANCEL, timeouts, T0))
                .isInstanceOf(IllegalRunTransitionException.class)
                .hasMessageContaining("is SUCCEEDED and cannot become CANCELLED");
    }

    @Test
    void aRunTimeoutStopsTheTaskThenKillsItAfterTheGraceAndIsRetriedByItsRule() {
        Run run = running();
        assertThat(run.deadline()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(run.deadlinePassed(job.timeouts(), T0.plusSeconds(3599))).isEqualTo(DeadlineAction.NONE);
        Instant late = T0.plus(Duration.ofHours(1));
        assertThat(run.deadlinePassed(job.timeouts(), late)).isEqualTo(DeadlineAction.STOP_TASK);
        assertThat(run.status()).isEqualTo(RunStatus.STOPPING);
        assertThat(run.deadline()).isEqualTo(late.plusSeconds(30));
        assertThat(run.deadlinePassed(job.timeouts(), late.plusSeconds(30))).isEqualTo(DeadlineAction.KILL_TASK);
        run.finished(exit(137, "", "killed"), job.exitCodes(), job.retry(), TEN_SECONDS, late.plusSeconds(31));
        assertThat(run.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(run.reason()).startsWith("timed out");
    }

    @Test
    void aTimeoutWithoutARetryLeftEndsTimedOut() {
        Run run = running();
        run.deadlinePassed(job.timeouts(), T0.plus(Duration.ofHours(2)));
        run.finished(
                exit(143, "", "SIGTERM"),
                job.exitCodes(),
                io.batchgate.catalog.RetryPolicy.none(),
                TEN_SECONDS,
                T0.plus(Duration.ofHours(2)));
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.exitCode()).isEqualTo(143);
    }

    @Test
    void aStartTimeoutEndsARunThatNeverGotATask() {
        Run run = Run.accept(RunId.next(1, new Random(5)), "flaky", "v", Map.of(), Set.of(), "ci", null, T0);
        run.claim("ecs", job.timeouts(), T0);
        run.launchDeferred("RESOURCE:MEMORY", T0.plusSeconds(30), T0);
        assertThat(run.deadlinePassed(job.timeouts(), T0.plus(Duration.ofMinutes(9))))
                .isEqualTo(DeadlineAction.NONE);
        assertThat(run.deadlinePassed(job.timeouts(), T0.plus(Duration.ofMinutes(10))))
                .isEqualTo(DeadlineAction.NONE);
        assertThat(run.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(run.currentAttempt().outcome()).isEqualTo(AttemptOutcome.NOT_STARTED);
        assertThat(run.reason()).contains("start timeout");
    }
}
