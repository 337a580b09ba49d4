package io.batchgate.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskRuntime} must do, whatever it runs on. Each adapter's test supplies the
 * runtime and jobs that end with a given exit code, or without one.
 */
public abstract class TaskRuntimeContractTests {

    protected final Map<AttemptRef, List<TaskExit>> exits = new ConcurrentHashMap<>();
    protected final TaskExitSink sink = (attempt, exit) ->
            exits.computeIfAbsent(attempt, k -> new CopyOnWriteArrayList<>()).add(exit);
    private final Random random = new Random();

    /** A runtime reporting to {@link #sink}; called again to simulate a restarted runner. */
    protected abstract TaskRuntime runtime();

    /**
     * A job that exits with the code and after the time that {@link #exitingEnv} asks for, and
     * declares a secret parameter {@code TOKEN}.
     */
    protected abstract JobDefinition exitingJob();

    /** The environment that makes {@link #exitingJob()} exit with {@code code} after {@code runFor}. */
    protected abstract Map<String, String> exitingEnv(int code, Duration runFor);

    /** A job the runtime cannot start (e.g. no target for this runtime). */
    protected abstract JobDefinition unstartableJob();

    /** Whether the runtime started anything for the attempt (a process, a task). */
    protected abstract boolean startedAnything(AttemptRef attempt);

    /** Waits until the task has ended by itself, without anyone having watched it. */
    protected abstract void awaitEnded(TaskHandle handle);

    protected AttemptRef newAttempt() {
        return new AttemptRef(RunId.next(System.currentTimeMillis(), random), 1);
    }

    protected TaskExit awaitExit(AttemptRef attempt) {
        await().atMost(Duration.ofSeconds(20)).until(() -> exits.containsKey(attempt));
        return exits.get(attempt).get(0);
    }

    @Test
    void reportsTheTasksOwnExitCode() {
        TaskRuntime runtime = runtime();
        for (int code : new int[] {0, 3, 255}) {
            AttemptRef attempt = newAttempt();
            StartResult result = runtime.start(new TaskLaunch(attempt, exitingJob(), exitingEnv(code, Duration.ZERO)));
            assertThat(result).isInstanceOf(StartResult.Started.class);
            runtime.watch(attempt, ((StartResult.Started) result).handle());
            assertThat(awaitExit(attempt).exitCode()).hasValue(code);
        }
    }

    @Test
    void refusesWhatItCannotStartWithAReason() {
        StartResult result = runtime().start(new TaskLaunch(newAttempt(), unstartableJob(), Map.of()));
        assertThat(result).isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
            assertThat(refused.reason()).isNotBlank();
            assertThat(refused.retryable()).isFalse();
        });
    }

    @Test
    void aRestartedRunnerFindsAndWatchesATaskStartedBeforeTheRestart() {
        AttemptRef attempt = newAttempt();
        TaskLaunch launch = new TaskLaunch(attempt, exitingJob(), exitingEnv(7, Duration.ofSeconds(1)));
        StartResult result = runtime().start(launch);
        assertThat(result).isInstanceOf(StartResult.Started.class);

        TaskRuntime restarted = runtime();
        TaskHandle found = await().atMost(Duration.ofSeconds(10))
                .until(() -> restarted.find(launch).orElse(null), handle -> handle != null);
        restarted.watch(attempt, found);
        assertThat(awaitExit(attempt).exitCode()).hasValue(7);
    }

    @Test
    void anAttemptThatNeverStartedIsNotFound() {
        assertThat(runtime().find(new TaskLaunch(newAttempt(), exitingJob(), Map.of())))
                .isEmpty();
    }

    @Test
    void aStoppedTaskEndsAndIsReported() {
        AttemptRef attempt = newAttempt();
        TaskRuntime runtime = runtime();
        StartResult.Started started = (StartResult.Started)
                runtime.start(new TaskLaunch(attempt, exitingJob(), exitingEnv(0, Duration.ofSeconds(30))));
        runtime.watch(attempt, started.handle());
        awaitRunning(started.handle());
        runtime.stop(started.handle(), "cancelled by test");
        TaskExit exit = awaitExit(attempt);
        assertThat(exit.exitCode()).as(exit.reason()).isNotEqualTo(java.util.OptionalInt.of(0));
    }

    /** Waits until the task really runs (a stop before that would test something else). */
    protected void awaitRunning(TaskHandle handle) {}

    @Test
    void previewMasksSecretsAndSendsNothing() {
        AttemptRef attempt = newAttempt();
        Map<String, String> env = new HashMap<>(exitingEnv(7, Duration.ZERO));
        env.put("TOKEN", "s3cret-value-never-shown");
        LaunchPreview preview = runtime().preview(new TaskLaunch(attempt, exitingJob(), env));
        assertThat(preview.problems()).isEmpty();
        String shown = preview.request().toString();
        assertThat(shown)
                .doesNotContain("s3cret-value-never-shown")
                .contains("TOKEN")
                .contains(SecretMask.MASK);
        assertThat(startedAnything(attempt)).isFalse();
        assertThat(exits).doesNotContainKey(attempt);
    }

    @Test
    void watchingATaskThatAlreadyEndedStillReportsItsExit() {
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started)
                runtime().start(new TaskLaunch(attempt, exitingJob(), exitingEnv(4, Duration.ZERO)));
        TaskRuntime restarted = runtime();
        awaitEnded(started.handle());
        restarted.watch(attempt, started.handle());
        assertThat(awaitExit(attempt).exitCode()).hasValue(4);
    }
}
