package io.batchgate.runner.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import io.batchgate.runner.runtime.TaskRuntimeContractTests;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestCatalogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessRuntimeTests extends TaskRuntimeContractTests {

    @TempDir
    Path dataDir;

    private Catalog catalog;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private final LocalRuntimeProperties properties =
            new LocalRuntimeProperties(List.of("PATH", "HOME", "LANG", "BATCHGATE_TEST_RUN"), 2, null);

    @BeforeEach
    void catalog() {
        catalog = TestCatalogs.load(dataDir.resolve("catalog"), """
                jobs:
                  exiting:
                    local:
                      command: ["sh", "-c", "echo \\"out $EXIT_CODE\\"; echo err >&2; sleep ${SLEEP:-0}; exit $EXIT_CODE"]
                    params: { TOKEN: { type: string, secret: true } }
                  lingering:
                    local:
                      command: [sh, -c, 'sleep 300 & wait']
                  counting:
                    local:
                      command: [sh, -c, 'echo started >> "$COUNT_FILE"; sleep 1']
                  env-dump:
                    local:
                      command: ["env"]
                      env: { FIXED: from-catalog }
                  ecs-only:
                    ecs: { cluster: c, taskDefinition: td, container: app }
                """);
    }

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
        JobProcesses.killAll(dataDir);
    }

    @Override
    protected boolean startedAnything(AttemptRef attempt) {
        return Files.exists(new AttemptDirectories(dataDir).directory(attempt));
    }

    @Override
    protected void awaitEnded(TaskHandle handle) {
        long pid = Long.parseLong(handle.id().split("@")[0]);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true));
    }

    @Test
    void jobProcessesLeftRunningAreFoundAndKilledEvenWhenTheirWrapperIsGone() {
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started) runtime()
                .start(new TaskLaunch(
                        attempt,
                        catalog.job("lingering").orElseThrow(),
                        RunLauncher.environment(attempt.runId(), "lingering", 1, Map.of())));
        long wrapper = Long.parseLong(started.handle().id().split("@")[0]);
        // the wrapper sh, the job's sh and its sleep
        await().atMost(Duration.ofSeconds(10)).until(() -> JobProcesses.alive(dataDir), alive -> alive.size() == 3);
        ProcessHandle.of(wrapper).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> JobProcesses.alive(dataDir), alive -> alive.size() == 2);

        assertThat(JobProcesses.killAll(dataDir)).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> JobProcesses.alive(dataDir), List::isEmpty);
    }

    /**
     * A cancel can reach the process group while the wrapper shell is still starting the job: the
     * wrapper's trap took the SIGTERM, and the job it then started never got one, so it ran until
     * the stop grace killed it. Stopped at once, every try must end (a job that ignored the stop
     * would sleep 300 s, far past the wait).
     */
    @Test
    void aStopThatArrivesBeforeTheJobHasStartedStillEndsTheAttempt() {
        TaskRuntime runtime = runtime();
        for (int i = 0; i < 15; i++) {
            AttemptRef attempt = newAttempt();
            StartResult.Started started = (StartResult.Started)
                    runtime.start(new TaskLaunch(attempt, exitingJob(), exitingEnv(0, Duration.ofSeconds(300))));
            runtime.stop(started.handle(), "cancelled by test the moment it started");
            runtime.watch(attempt, started.handle());
            TaskExit exit = awaitExit(attempt);
            assertThat(exit.exitCode()).as(exit.reason()).isNotEqualTo(java.util.OptionalInt.of(0));
        }
    }

    @Override
    protected void awaitRunning(TaskHandle handle) {
        long pid = Long.parseLong(handle.id().split("@")[0]);
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid)
                .map(process -> process.descendants().findAny().isPresent())
                .orElse(false));
    }

    @Override
    protected TaskRuntime runtime() {
        return new LocalProcessRuntime(new AttemptDirectories(dataDir), properties, sink, callbacks);
    }

    @Override
    protected JobDefinition exitingJob() {
        return catalog.job("exiting").orElseThrow();
    }

    @Override
    protected Map<String, String> exitingEnv(int code, Duration runFor) {
        return Map.of("EXIT_CODE", Integer.toString(code), "SLEEP", Long.toString(runFor.toSeconds()));
    }

    @Override
    protected JobDefinition unstartableJob() {
        return catalog.job("ecs-only").orElseThrow();
    }

    private AttemptRef run(String job, Map<String, String> env) {
        AttemptRef attempt = newAttempt();
        TaskRuntime runtime = runtime();
        StartResult result =
                runtime.start(new TaskLaunch(attempt, catalog.job(job).orElseThrow(), env));
        runtime.watch(attempt, ((StartResult.Started) result).handle());
        awaitExit(attempt);
        return attempt;
    }

    @Test
    void anAttemptStartedTwiceAtOnceRunsOneProcessAndBothGetIt() throws Exception {
        // two runners, one launching slowly and one taking the attempt over, start it together
        Path count = dataDir.resolve("count.txt");
        AttemptRef attempt = newAttempt();
        TaskLaunch launch =
                new TaskLaunch(attempt, catalog.job("counting").orElseThrow(), Map.of("COUNT_FILE", count.toString()));
        ExecutorService runners = Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<StartResult> first =
                    runners.submit(() -> runtime().start(launch));
            java.util.concurrent.Future<StartResult> second =
                    runners.submit(() -> runtime().start(launch));
            TaskHandle one = ((StartResult.Started) first.get()).handle();
            TaskHandle two = ((StartResult.Started) second.get()).handle();
            assertThat(one.id().split("@")[0]).isEqualTo(two.id().split("@")[0]);
            TaskRuntime runtime = runtime();
            runtime.watch(attempt, one);
            awaitExit(attempt);
            assertThat(Files.readAllLines(count)).containsExactly("started");
            // and once more, long after: still the same attempt, still not started again
            assertThat(runtime().start(launch)).isInstanceOf(StartResult.Started.class);
            assertThat(Files.readAllLines(count)).containsExactly("started");
        } finally {
            runners.shutdownNow();
        }
    }

    @Test
    void aMarkerLeftByALauncherThatDiedBeforeSpawningDoesNotBlockTheAttempt() throws Exception {
        Path count = dataDir.resolve("count.txt");
        AttemptRef attempt = newAttempt();
        Path dir = new AttemptDirectories(dataDir).directory(attempt);
        Files.createDirectories(dir);
        Files.createFile(dir.resolve("launched.1")); // killed -9 between the marker and the spawn
        TaskRuntime runtime = new LocalProcessRuntime(
                new AttemptDirectories(dataDir), properties, sink, callbacks, Duration.ofMillis(300));
        TaskLaunch launch =
                new TaskLaunch(attempt, catalog.job("counting").orElseThrow(), Map.of("COUNT_FILE", count.toString()));
        StartResult.Started started = (StartResult.Started) runtime.start(launch);
        runtime.watch(attempt, started.handle());
        awaitExit(attempt);
        assertThat(Files.readAllLines(count)).containsExactly("started");
        assertThat(dir.resolve("launched.2")).exists();
        // the attempt's process is found from now on, not started again
        assertThat(((StartResult.Started) runtime.start(launch)).handle().id().split("@")[0])
                .isEqualTo(started.handle().id().split("@")[0]);
        assertThat(Files.readAllLines(count)).containsExactly("started");
    }

    @Test
    void capturesStdoutAndStderrIntoTheAttemptsLog() throws IOException {
        AttemptRef attempt = run("exiting", Map.of("EXIT_CODE", "0"));
        Path log = new AttemptDirectories(dataDir).output(attempt.runId(), 1);
        assertThat(Files.readAllLines(log)).containsExactly("out 0", "err");
    }

    @Test
    void theJobSeesOnlyTheInheritedAllowListTheCatalogsEnvAndItsLaunchEnv() throws IOException {
        AttemptRef attempt = run("env-dump", Map.of("GREETING", "hi", "BATCHGATE_RUN_ID", "r1"));
        Set<String> names = Files.readAllLines(new AttemptDirectories(dataDir).output(attempt.runId(), 1)).stream()
                .filter(line -> line.contains("="))
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(names).contains("FIXED", "GREETING", "BATCHGATE_RUN_ID");
        // sh may add PWD/SHLVL/_ itself; nothing else of the JVM's environment may pass
        Set<String> allowed = new java.util.HashSet<>(Arrays.asList(
                "PATH",
                "HOME",
                "LANG",
                "BATCHGATE_TEST_RUN",
                "FIXED",
                "GREETING",
                "BATCHGATE_RUN_ID",
                "PWD",
                "SHLVL",
                "_",
                "OLDPWD"));
        assertThat(allowed).containsAll(names);
    }

    @Test
    void aProcessKilledWithSigkillEndsWithoutAnExitCode() {
        AttemptRef attempt = newAttempt();
        TaskRuntime runtime = runtime();
        // kill the wrapper's whole session, so no exit code can be written
        StartResult.Started started = (StartResult.Started) runtime.start(
                new TaskLaunch(attempt, catalog.job("exiting").orElseThrow(), Map.of("EXIT_CODE", "0", "SLEEP", "30")));
        long pid = Long.parseLong(started.handle().id().split("@")[0]);
        runtime.watch(attempt, started.handle());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(
                        new AttemptDirectories(dataDir).directory(attempt).resolve("pid")));
        ProcessHandle.of(pid).ifPresent(process -> {
            // the wrapper first: killed after its child, it could still write the child's 137
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        });
        assertThat(awaitExit(attempt).exitCode()).isEmpty();
        assertThat(awaitExit(attempt).reason()).contains("without recording an exit code");
    }

    @Test
    void aHandleWhosePidWasReusedIsNotMistakenForTheTask() {
        AttemptRef attempt = run("exiting", Map.of("EXIT_CODE", "5"));
        exits.clear();
        // same pid file, but a start time that cannot match a live process
        TaskHandle stale = new TaskHandle("local", ProcessHandle.current().pid() + "@1");
        runtime().watch(attempt, stale);
        assertThat(awaitExit(attempt).exitCode()).hasValue(5);
    }
}
