package io.batchgate.runner.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.testing.TestCatalogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each of the run's transitions records its named event, carrying what its listeners need. */
class RunEventsTests {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private static final RetryDelays TEN_SECONDS = n -> Duration.ofSeconds(10);
    private static final TaskHandle HANDLE = new TaskHandle("local", "1@1");

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
                              maxAttempts: 2
                              rules:
                                - exitCodes: [75]
                                  action: RETRY
                                - startTimedOut: true
                                  action: RETRY
                            timeouts: { run: 1h, start: 10m, stopGrace: 30s }
                        """).job("flaky").orElseThrow();
    }

    private static Run queued() {
        return Run.accept(
                RunId.next(T0.toEpochMilli(), new Random(1)), "flaky", "v", Map.of(), Set.of(), "ci", null, T0);
    }

    private static Run running() {
        Run run = queued();
        run.claim("local", job.timeouts(), T0);
        run.started(HANDLE, job.timeouts(), T0);
        run.clearEvents();
        return run;
    }

    private static void finish(Run run, int code, Instant at) {
        run.finished(TaskExit.code(code), job.exitCodes(), job.retry(), TEN_SECONDS, at);
    }

    @Test
    void acceptingRecordsRunAccepted() {
        Run run = queued();
        assertThat(run.events()).singleElement().isInstanceOfSatisfying(RunEvent.RunAccepted.class, e -> {
            assertThat(e.runId()).isEqualTo(run.id());
            assertThat(e.job()).isEqualTo("flaky");
            assertThat(e.requestedBy()).isEqualTo("ci");
            assertThat(e.attempt()).isZero();
            assertThat(e.entry()).isEqualTo(run.timeline().get(0));
        });
    }

    @Test
    void aRestoredRunHasNoEventsAndTakenEventsAreGone() {
        Run run = queued();
        run.clearEvents();
        assertThat(run.events()).isEmpty();
        Run restored = Run.restore(new Run.Snapshot(
                run.id(),
                run.job(),
                run.catalogVersion(),
                run.params(),
                run.secretParams(),
                run.requestedBy(),
                run.source(),
                run.idempotencyKey(),
                run.createdAt(),
                run.status(),
                null,
                false,
                "",
                null,
                null,
                null,
                null,
                List.of(),
                run.timeline(),
                0));
        assertThat(restored.events()).isEmpty();
    }

    @Test
    void claimingAndStartingRecordAttemptClaimedThenAttemptStarted() {
        Run run = queued();
        run.clearEvents();
        run.claim("local", job.timeouts(), T0.plusSeconds(1));
        run.started(HANDLE, job.timeouts(), false, T0.plusSeconds(2));
        run.taskRunning(job.timeouts(), T0.plusSeconds(3));

        assertThat(run.events()).hasSize(3);
        assertThat(run.events().get(0)).isInstanceOfSatisfying(RunEvent.AttemptClaimed.class, e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.runtime()).isEqualTo("local");
            assertThat(e.launchTry()).isEqualTo(1);
            assertThat(e.entry().to()).isEqualTo(RunStatus.LAUNCHING);
        });
        assertThat(run.events().get(1)).isInstanceOfSatisfying(RunEvent.AttemptStarted.class, e -> {
            assertThat(e.handle()).isEqualTo(HANDLE);
            assertThat(e.running()).isFalse();
            assertThat(e.runtime()).isEqualTo("local");
            assertThat(e.acceptedAt()).as("metrics: time in the queue").isEqualTo(T0);
            assertThat(e.entry().to()).isEqualTo(RunStatus.RUNNING);
        });
        assertThat(run.events().get(2)).isInstanceOfSatisfying(RunEvent.TaskRunning.class, e -> assertThat(e.handle())
                .isEqualTo(HANDLE));
    }

    @Test
    void aDeferredLaunchRecordsLaunchDeferredAndItsNextTryAnotherClaimOfTheSameAttempt() {
        Run run = queued();
        run.claim("local", job.timeouts(), T0);
        run.clearEvents();
        run.launchDeferred("throttled", T0.plusSeconds(30), T0.plusSeconds(1));
        run.claim("local", job.timeouts(), T0.plusSeconds(30));

        assertThat(run.events().get(0)).isInstanceOfSatisfying(RunEvent.LaunchDeferred.class, e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.retryAt()).isEqualTo(T0.plusSeconds(30));
        });
        assertThat(run.events().get(1)).isInstanceOfSatisfying(RunEvent.AttemptClaimed.class, e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.launchTry()).isEqualTo(2);
        });
    }

    @Test
    void aSuccessfulEndRecordsAttemptEndedThenRunFinished() {
        Run run = running();
        finish(run, 1, T0.plusSeconds(5));

        assertThat(run.events()).hasSize(2);
        assertThat(run.events().get(0)).isInstanceOfSatisfying(RunEvent.AttemptEnded.class, e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.outcome()).isEqualTo(AttemptOutcome.EXITED);
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.runtime()).isEqualTo("local");
            assertThat(e.startedAt()).as("metrics: the attempt's duration").isEqualTo(T0);
            assertThat(e.at()).isEqualTo(T0.plusSeconds(5));
        });
        assertThat(run.events().get(1)).isInstanceOfSatisfying(RunEvent.RunFinished.class, e -> {
            assertThat(e.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.warning()).isTrue();
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo(run.reason());
        });
    }

    @Test
    void aRetriedFailureRecordsRetryScheduledAndTheLastFailureRunFinished() {
        Run run = running();
        finish(run, 75, T0.plusSeconds(5));

        assertThat(run.events().get(1)).isInstanceOfSatisfying(RunEvent.RetryScheduled.class, e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.outcome()).isEqualTo(AttemptOutcome.EXITED);
            assertThat(e.nextAttemptAt()).isEqualTo(T0.plusSeconds(15));
            assertThat(e.entry().to()).isEqualTo(RunStatus.RETRY_WAIT);
        });
        run.claim("local", job.timeouts(), T0.plusSeconds(15));
        run.started(HANDLE, job.timeouts(), T0.plusSeconds(16));
        run.clearEvents();
        finish(run, 75, T0.plusSeconds(20));

        assertThat(run.events().get(1)).isInstanceOfSatisfying(RunEvent.RunFinished.class, e -> {
            assertThat(e.status()).isEqualTo(RunStatus.FAILED);
            assertThat(e.exitCode()).isEqualTo(75);
            assertThat(e.attempt()).isEqualTo(2);
        });
    }

    @Test
    void cancellingARunningRunRecordsStopRequestedAndItsEndRunFinished() {
        Run run = running();
        run.cancel("operator", StopCause.CANCEL, job.timeouts(), T0.plusSeconds(5));
        assertThat(run.events()).singleElement().isInstanceOfSatisfying(RunEvent.StopRequested.class, e -> assertThat(
                        e.cause())
                .isEqualTo(StopCause.CANCEL));
        run.deadlinePassed(job.timeouts(), T0.plusSeconds(40));
        assertThat(run.events().get(1)).isInstanceOf(RunEvent.KillRequested.class);
        run.finished(TaskExit.withoutCode("killed"), job.exitCodes(), T0.plusSeconds(41));
        assertThat(run.events().get(3)).isInstanceOfSatisfying(RunEvent.RunFinished.class, e -> assertThat(e.status())
                .isEqualTo(RunStatus.CANCELLED));
    }

    @Test
    void cancellingAQueuedRunRecordsRunFinishedWithoutAnAttempt() {
        Run run = queued();
        run.clearEvents();
        run.cancel("operator", StopCause.CANCEL, job.timeouts(), T0.plusSeconds(1));
        assertThat(run.events()).singleElement().isInstanceOfSatisfying(RunEvent.RunFinished.class, e -> {
            assertThat(e.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(e.attempt()).isZero();
        });
    }

    @Test
    void theRunTimeoutRecordsStopRequested() {
        Run run = running();
        run.deadlinePassed(job.timeouts(), T0.plus(Duration.ofHours(2)));
        assertThat(run.events()).singleElement().isInstanceOfSatisfying(RunEvent.StopRequested.class, e -> assertThat(
                        e.cause())
                .isEqualTo(StopCause.TIMEOUT));
    }

    @Test
    void aStartTimeoutWhileWaitingForALaunchRetryEndsTheAttemptUnstartedAndSchedulesTheNext() {
        Run run = queued();
        run.claim("local", job.timeouts(), T0);
        run.launchDeferred("throttled", T0.plusSeconds(30), T0.plusSeconds(1));
        run.clearEvents();
        run.deadlinePassed(job.timeouts(), job.retry(), TEN_SECONDS, T0.plus(Duration.ofMinutes(11)));

        assertThat(run.events()).hasSize(2);
        assertThat(run.events().get(0)).isInstanceOfSatisfying(RunEvent.AttemptEnded.class, e -> assertThat(e.outcome())
                .isEqualTo(AttemptOutcome.NOT_STARTED));
        assertThat(run.events().get(1))
                .isInstanceOfSatisfying(RunEvent.RetryScheduled.class, e -> assertThat(e.outcome())
                        .isEqualTo(AttemptOutcome.NOT_STARTED));
    }

    @Test
    void skipRerunAndLaunchFailureRecordTheirEvents() {
        Run skipped = queued();
        skipped.rerunOf(RunId.next(T0.toEpochMilli(), new Random(2)), T0);
        skipped.skip("forbid", T0);
        assertThat(skipped.events())
                .map(Object::getClass)
                .containsExactly(RunEvent.RunAccepted.class, RunEvent.RerunLinked.class, RunEvent.RunFinished.class);

        Run refused = queued();
        refused.claim("local", T0);
        refused.clearEvents();
        refused.launchFailed("no such image", T0.plusSeconds(1));
        assertThat(refused.events())
                .map(Object::getClass)
                .containsExactly(RunEvent.AttemptEnded.class, RunEvent.RunFinished.class);
        assertThat(((RunEvent.AttemptEnded) refused.events().get(0)).outcome()).isEqualTo(AttemptOutcome.REFUSED);
    }

    @Test
    void aTaskStartedWhileStoppingRecordsStartedWhileStoppingNotAttemptStarted() {
        Run run = queued();
        run.claim("local", job.timeouts(), T0);
        run.cancel("operator", StopCause.CANCEL, job.timeouts(), T0.plusSeconds(1));
        run.clearEvents();
        run.started(HANDLE, job.timeouts(), T0.plusSeconds(2));
        assertThat(run.events()).singleElement().isInstanceOf(RunEvent.StartedWhileStopping.class);
    }

    @Test
    void everyTimelineEntryIsTheEntryOfExactlyOneEvent() {
        Run run = queued();
        run.claim("local", job.timeouts(), T0);
        run.started(HANDLE, job.timeouts(), T0.plusSeconds(1));
        finish(run, 75, T0.plusSeconds(2));
        run.claim("local", job.timeouts(), T0.plusSeconds(12));
        run.started(HANDLE, job.timeouts(), T0.plusSeconds(13));
        run.cancel("operator", StopCause.CANCEL, job.timeouts(), T0.plusSeconds(14));
        run.finished(TaskExit.code(143), job.exitCodes(), T0.plusSeconds(15));

        List<TimelineEntry> entries = run.events().stream()
                .filter(RunEvent.Recorded.class::isInstance)
                .map(e -> ((RunEvent.Recorded) e).entry())
                .toList();
        assertThat(entries).isEqualTo(run.timeline());
    }
}
