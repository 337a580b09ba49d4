package io.batchgate.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.ExitCodePolicy;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunTests {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private static final ExitCodePolicy DIFF_LIKE = new ExitCodePolicy(Set.of(0), Set.of(1));

    private static Run queued() {
        return Run.accept(
                RunId.next(T0.toEpochMilli(), new Random(1)),
                "exit-with",
                "v1",
                Map.of("CODE", "3", "TOKEN", "abc"),
                Set.of("TOKEN"),
                "ci",
                null,
                T0);
    }

    private static Run running() {
        Run run = queued();
        run.claim("local", T0.plusSeconds(1));
        run.started(new TaskHandle("local", "42@1"), T0.plusSeconds(2));
        return run;
    }

    static Stream<Arguments> exits() {
        return Stream.of(
                Arguments.of(TaskExit.code(0), RunStatus.SUCCEEDED, 0, false, AttemptOutcome.EXITED),
                Arguments.of(TaskExit.code(1), RunStatus.SUCCEEDED, 1, true, AttemptOutcome.EXITED),
                Arguments.of(TaskExit.code(2), RunStatus.FAILED, 2, false, AttemptOutcome.EXITED),
                Arguments.of(TaskExit.code(255), RunStatus.FAILED, 255, false, AttemptOutcome.EXITED),
                Arguments.of(TaskExit.withoutCode("killed"), RunStatus.FAILED, null, false, AttemptOutcome.LOST));
    }

    @ParameterizedTest
    @MethodSource("exits")
    void theJobsExitCodePolicyJudgesTheEnd(
            TaskExit exit, RunStatus status, Integer exitCode, boolean warning, AttemptOutcome outcome) {
        Run run = running();
        run.finished(exit, DIFF_LIKE, T0.plusSeconds(3));
        assertThat(run.status()).isEqualTo(status);
        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.warning()).isEqualTo(warning);
        assertThat(run.currentAttempt().outcome()).isEqualTo(outcome);
        assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(run.isActiveAttempt(1)).isFalse();
    }

    @Test
    void aTaskWithoutExitCodeIsNeverASuccessEvenIfZeroWouldBe() {
        Run run = running();
        run.finished(TaskExit.withoutCode("CannotPullContainerError"), ExitCodePolicy.defaults(), T0);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.exitCode()).isNull();
        assertThat(run.reason()).isEqualTo("task ended without an exit code: CannotPullContainerError");
    }

    @Test
    void recordsEveryTransitionWithTimeAndReason() {
        Run run = running();
        run.finished(TaskExit.code(0), ExitCodePolicy.defaults(), T0.plusSeconds(9));
        assertThat(run.timeline())
                .extracting(TimelineEntry::seq, TimelineEntry::from, TimelineEntry::to, TimelineEntry::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, null, RunStatus.QUEUED, T0),
                        org.assertj.core.groups.Tuple.tuple(
                                2, RunStatus.QUEUED, RunStatus.LAUNCHING, T0.plusSeconds(1)),
                        org.assertj.core.groups.Tuple.tuple(
                                3, RunStatus.LAUNCHING, RunStatus.RUNNING, T0.plusSeconds(2)),
                        org.assertj.core.groups.Tuple.tuple(
                                4, RunStatus.RUNNING, RunStatus.SUCCEEDED, T0.plusSeconds(9)));
        assertThat(run.pendingTimeline()).hasSize(4);
        run.markPersisted();
        assertThat(run.pendingTimeline()).isEmpty();
    }

    @Test
    void aSecondClaimIsRefusedNamingTheCurrentStatus() {
        Run run = queued();
        run.claim("local", T0);
        assertThatThrownBy(() -> run.claim("local", T0))
                .isInstanceOf(IllegalRunTransitionException.class)
                .hasMessage("run " + run.id() + " is LAUNCHING and cannot become LAUNCHING");
    }

    @Test
    void aFinishedRunAcceptsNoFurtherEnd() {
        Run run = running();
        run.finished(TaskExit.code(0), ExitCodePolicy.defaults(), T0);
        assertThatThrownBy(() -> run.finished(TaskExit.code(3), ExitCodePolicy.defaults(), T0))
                .isInstanceOf(IllegalRunTransitionException.class)
                .hasMessageContaining("is SUCCEEDED and cannot become FAILED");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void aRefusedLaunchFailsTheRunWithTheRuntimesReason() {
        Run run = queued();
        run.claim("local", T0);
        run.launchFailed("job has no local target", T0);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.currentAttempt().outcome()).isEqualTo(AttemptOutcome.REFUSED);
        assertThat(run.reason()).isEqualTo("job has no local target");
    }

    @Test
    void secretsAreMaskedInWhatIsShownButKeptForLaunching() {
        Run run = queued();
        assertThat(run.maskedParams()).containsEntry("TOKEN", "******").containsEntry("CODE", "3");
        assertThat(run.params()).containsEntry("TOKEN", "abc");
    }

    @Test
    void finalStatusesAllowNoTransitionAndEveryOtherStatusCanBeCancelled() {
        for (RunStatus status : RunStatus.values()) {
            if (EnumSet.of(
                            RunStatus.SUCCEEDED,
                            RunStatus.FAILED,
                            RunStatus.TIMED_OUT,
                            RunStatus.CANCELLED,
                            RunStatus.SKIPPED)
                    .contains(status)) {
                assertThat(status.isFinal()).as(status.name()).isTrue();
                assertThat(EnumSet.allOf(RunStatus.class)).noneMatch(status::canMoveTo);
            } else {
                assertThat(status.isFinal()).as(status.name()).isFalse();
                assertThat(status.canMoveTo(RunStatus.CANCELLED))
                        .as(status.name())
                        .isTrue();
            }
        }
    }

    @Test
    void runIdsAreTimeOrderedUuidV7() {
        Random random = new Random(7);
        RunId earlier = RunId.next(1_000_000L, random);
        RunId later = RunId.next(1_000_001L, random);
        assertThat(earlier.compareTo(later)).isNegative();
        assertThat(java.util.UUID.fromString(earlier.value()).version()).isEqualTo(7);
        assertThat(RunId.parseOrNull("not-a-run")).isNull();
        assertThat(RunId.parseOrNull("0190B4E4-0000-7000-8000-000000000000")).isNull();
        assertThat(RunId.parseOrNull(earlier.value())).isEqualTo(earlier);
    }
}
