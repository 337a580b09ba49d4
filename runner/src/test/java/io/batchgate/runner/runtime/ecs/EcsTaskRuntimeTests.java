package io.batchgate.runner.runtime.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.quota.LaunchBucket;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import io.batchgate.runner.runtime.TaskRuntimeContractTests;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.ecs.sim.SharedNettyClient;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ECS runtime through the real AWS SDK client, over HTTP, against the ECS wire-protocol
 * simulator: the same contract as the local runtime, plus what only ECS can do to us.
 */
@Tag("sql")
class EcsTaskRuntimeTests extends TaskRuntimeContractTests {

    @TempDir
    Path dir;

    private EcsSimulator sim;
    private EcsAsyncClient ecs;
    private DataSource dataSource;
    private Catalog catalog;
    private final List<EcsTaskTracker> trackers = new ArrayList<>();
    private final List<EcsTaskRuntime> runtimes = new ArrayList<>();

    @RegisterExtension
    static final SharedNettyClient HTTP = new SharedNettyClient();

    @BeforeEach
    void simulator() {
        useSimulator(Clock.systemUTC());
        dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        catalog = TestCatalogs.load(dir.resolve("catalog"), """
                jobs:
                  sim:
                    ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                    params:
                      SIM_EXIT_CODE: { type: int, min: 0, max: 255 }
                      SIM_RUN_MS: { type: int, min: 0 }
                      SIM_STOP_REASON: { type: string }
                      TOKEN: { type: string, secret: true }
                      BLOB: { type: string, maxLength: 4096 }
                  nowhere:
                    ecs: { cluster: nowhere, taskDefinition: "sim-task:1", container: app }
                  local-only:
                    local: { command: ["true"] }
                """);
    }

    /** A (new) simulator on the given clock, and a client for it: time-driven tests move a MutableClock. */
    private void useSimulator(Clock clock) {
        if (sim != null) {
            ecs.close();
            sim.close();
        }
        sim = EcsSimulator.start(clock)
                .addCluster("batch")
                .registerTaskDefinition("sim-task", 1, List.of("app", "sidecar"));
        ecs = sim.client(HTTP.get());
    }

    @AfterEach
    void stop() {
        trackers.forEach(EcsTaskTracker::stop);
        ecs.close();
        sim.close();
    }

    @Override
    protected boolean startedAnything(AttemptRef attempt) {
        return sim.launched() > 0;
    }

    @Override
    protected void awaitEnded(TaskHandle handle) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.task(handle.id())
                .map(task -> "STOPPED".equals(task.lastStatus()))
                .orElse(false));
    }

    private EcsRuntimeProperties properties(Duration missingGrace) {
        return new EcsRuntimeProperties(
                true,
                "us-east-1",
                sim.endpoint(),
                20,
                100,
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                Duration.ofMillis(50),
                missingGrace,
                null,
                Duration.ZERO,
                false,
                1,
                5,
                Duration.ofDays(7));
    }

    private EcsTaskRuntime runtime(Duration missingGrace, boolean tracking) {
        return runtime(missingGrace, tracking, 20);
    }

    private EcsTaskRuntime runtime(Duration missingGrace, boolean tracking, int launchRate) {
        return runtime(missingGrace, tracking, launchRate, Clock.systemUTC());
    }

    private EcsTaskRuntime runtime(Duration missingGrace, boolean tracking, int launchRate, Clock clock) {
        EcsRuntimeProperties properties = properties(missingGrace);
        LaunchBucket bucket = new LaunchBucket(
                "ecs:run-task",
                launchRate,
                Math.max(100, launchRate),
                Duration.ofSeconds(60),
                JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                Clock.systemUTC());
        DerivedTaskDefinitions derived =
                new DerivedTaskDefinitions(ecs, JdbcClient.create(dataSource), bucket, Duration.ofSeconds(5), clock);
        EcsTaskRuntime runtime = new EcsTaskRuntime(ecs, properties, bucket, derived, sink, clock);
        if (tracking) {
            EcsTaskTracker tracker = new EcsTaskTracker(
                    runtime, orphanScanner(false, (run, attempt, arn) -> true), properties, new SimpleMeterRegistry());
            tracker.start();
            trackers.add(tracker);
        }
        runtimes.add(runtime);
        return runtime;
    }

    @Override
    protected TaskRuntime runtime() {
        return runtime(Duration.ofMinutes(5), true);
    }

    @Override
    protected JobDefinition exitingJob() {
        return catalog.job("sim").orElseThrow();
    }

    @Override
    protected Map<String, String> exitingEnv(int code, Duration runFor) {
        return Map.of("SIM_EXIT_CODE", Integer.toString(code), "SIM_RUN_MS", Long.toString(runFor.toMillis()));
    }

    @Override
    protected JobDefinition unstartableJob() {
        return catalog.job("local-only").orElseThrow();
    }

    @Override
    protected void awaitRunning(TaskHandle handle) {
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.task(handle.id())
                .map(task -> "RUNNING".equals(task.lastStatus()))
                .orElse(false));
    }

    private StartResult start(EcsTaskRuntime runtime, String job, Map<String, String> env) {
        return runtime.start(new TaskLaunch(newAttempt(), catalog.job(job).orElseThrow(), env));
    }

    @Test
    void theTaskGetsTheParamsAsEnvironmentOverridesOfTheJobsContainerAndIsTagged() {
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started) runtime(Duration.ofMinutes(5), false)
                .start(new TaskLaunch(
                        attempt,
                        2,
                        exitingJob(),
                        Map.of(
                                "SIM_EXIT_CODE",
                                "0",
                                "BATCHGATE_RUN_ID",
                                attempt.runId().value())));
        var task = sim.task(started.handle().id()).orElseThrow();
        assertThat(task.env())
                .containsEntry("SIM_EXIT_CODE", "0")
                .containsEntry("BATCHGATE_RUN_ID", attempt.runId().value());
        assertThat(task.startedBy()).isEqualTo("batchgate/" + attempt.runId() + "/1");
        assertThat(task.clientToken()).isEqualTo(attempt.runId() + "-1-2").hasSizeLessThanOrEqualTo(64);
        assertThat(task.tags())
                .containsEntry("batchgate:run-id", attempt.runId().value());
    }

    @Test
    void theDryRunWarnsWhenAwslogsIsNotBlockingAndOnlyThen() {
        sim.registerTaskDefinition(
                        "blocking-task",
                        1,
                        List.of("app"),
                        Map.of("awslogs-group", "/ecs/b", "awslogs-stream-prefix", "ecs", "mode", "blocking"),
                        null)
                .registerTaskDefinition(
                        "explicit-non-blocking",
                        1,
                        List.of("app"),
                        Map.of("awslogs-group", "/ecs/n", "awslogs-stream-prefix", "ecs", "mode", "non-blocking"),
                        null);
        Catalog jobs = TestCatalogs.load(dir.resolve("warnings"), """
                jobs:
                  default-mode: { ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app } }
                  blocking: { ecs: { cluster: batch, taskDefinition: "blocking-task:1", container: app } }
                  non-blocking: { ecs: { cluster: batch, taskDefinition: "explicit-non-blocking:1", container: app } }
                  missing: { ecs: { cluster: batch, taskDefinition: "no-such-task:1", container: app } }
                """);
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);

        assertThat(runtime.warnings(jobs.job("default-mode").orElseThrow()))
                .singleElement()
                .satisfies(w -> assertThat(w).startsWith("task definition sim-task:1: awslogs mode is non-blocking"));
        assertThat(runtime.warnings(jobs.job("non-blocking").orElseThrow()))
                .singleElement()
                .satisfies(w -> assertThat(w).contains("awslogs mode is non-blocking"));
        assertThat(runtime.warnings(jobs.job("blocking").orElseThrow())).isEmpty();
        assertThat(runtime.warnings(jobs.job("missing").orElseThrow()))
                .singleElement()
                .satisfies(w -> assertThat(w).startsWith("cannot read task definition no-such-task:1"));
        assertThat(sim.calls("DescribeTaskDefinition")).isEqualTo(4);
        assertThat(sim.launched()).isZero();
    }

    @Test
    void aTaskThatStopsWithoutAnExitCodeEndsWithoutOneAndSaysWhy() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), true);
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started) runtime.start(new TaskLaunch(
                attempt, exitingJob(), Map.of("SIM_STOP_REASON", "CannotPullContainerError: pull access denied")));
        runtime.watch(attempt, started.handle());
        TaskExit exit = awaitExit(attempt);
        assertThat(exit.exitCode()).isEmpty();
        assertThat(exit.reason()).contains("TaskFailedToStart").contains("CannotPullContainerError");
    }

    @Test
    void capacityFailuresAreRetryableRefusals() {
        sim.failNextRunTasks(1, "RESOURCE:MEMORY");
        StartResult result = start(runtime(Duration.ofMinutes(5), false), "sim", Map.of());
        assertThat(result).isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
            assertThat(refused.retryable()).isTrue();
            assertThat(refused.kind()).as("counted as a capacity refusal").isEqualTo(StartResult.Kind.CAPACITY);
            assertThat(refused.reason()).contains("RESOURCE:MEMORY");
        });
        assertThat(sim.launched()).isZero();
    }

    @Test
    void configurationErrorsAreFinalRefusals() {
        StartResult result = start(runtime(Duration.ofMinutes(5), false), "nowhere", Map.of());
        assertThat(result).isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
            assertThat(refused.retryable()).isFalse();
            assertThat(refused.kind()).isEqualTo(StartResult.Kind.CONFIGURATION);
            assertThat(refused.reason()).contains("ClusterNotFoundException");
        });
    }

    @Test
    void throttlingIsRetryableEvenDisguisedAndSlowsTheBucket() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        sim.throttleRunTask(0.001, 1);
        assertThat(start(runtime, "sim", Map.of())).isInstanceOf(StartResult.Started.class);
        assertThat(start(runtime, "sim", Map.of())).isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
            assertThat(refused.retryable()).isTrue();
            assertThat(refused.kind()).isEqualTo(StartResult.Kind.THROTTLED);
        });
        sim.throttleDisguisedAsInvalidParameter(true);
        assertThat(start(runtime, "sim", Map.of())).isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
            assertThat(refused.retryable()).isTrue();
            assertThat(refused.kind()).isEqualTo(StartResult.Kind.THROTTLED);
            assertThat(refused.reason()).contains("throttled");
        });
        assertThat(sim.launched()).isEqualTo(1);
    }

    /** batchgate's own limiter refused before any call: counted apart from ECS's throttling (README, "Metrics"). */
    @Test
    void aLaunchTheRateLimitHasNoPermitForIsARateLimitedRefusal() {
        EcsRuntimeProperties properties = new EcsRuntimeProperties(
                true,
                "us-east-1",
                sim.endpoint(),
                20,
                100,
                Duration.ofMillis(200),
                Duration.ofSeconds(60),
                Duration.ofMillis(50),
                Duration.ofMinutes(5),
                null,
                Duration.ZERO,
                false,
                1,
                5,
                Duration.ofDays(7));
        // one token, refilled once in 1000 s: the second launch finds none within the permit wait
        LaunchBucket bucket = new LaunchBucket(
                "ecs:rate-limited-test",
                0.001,
                1,
                Duration.ofSeconds(60),
                JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                Clock.systemUTC());
        DerivedTaskDefinitions derived = new DerivedTaskDefinitions(
                ecs, JdbcClient.create(dataSource), bucket, Duration.ofSeconds(5), Clock.systemUTC());
        EcsTaskRuntime runtime = new EcsTaskRuntime(ecs, properties, bucket, derived, sink, Clock.systemUTC());
        runtimes.add(runtime);

        assertThat(start(runtime, "sim", Map.of())).isInstanceOf(StartResult.Started.class);
        assertThat(start(runtime, "sim", Map.of())).isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
            assertThat(refused.retryable()).isTrue();
            assertThat(refused.kind()).isEqualTo(StartResult.Kind.RATE_LIMITED);
        });
        assertThat(sim.launched()).isEqualTo(1);
    }

    @Test
    void aServiceErrorIsRetryable() {
        sim.failNextCalls("RunTask", 1, "ServerException", 500);
        assertThat(start(runtime(Duration.ofMinutes(5), false), "sim", Map.of()))
                .isInstanceOfSatisfying(StartResult.Refused.class, refused -> {
                    assertThat(refused.retryable()).isTrue();
                    assertThat(refused.kind()).isEqualTo(StartResult.Kind.UNAVAILABLE);
                });
    }

    @Test
    void tracksTasksWithOneDescribeTasksCallPerHundredTasks() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false, 100_000);
        List<AttemptRef> attempts = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            AttemptRef attempt = newAttempt();
            StartResult.Started started = (StartResult.Started)
                    runtime.start(new TaskLaunch(attempt, exitingJob(), Map.of("SIM_RUN_MS", "600000")));
            runtime.watch(attempt, started.handle());
            attempts.add(attempt);
        }
        sim.resetCounters();
        EcsTaskRuntime.SweepResult sweep = runtime.sweep();
        assertThat(sweep.calls()).isEqualTo(3);
        assertThat(sim.describeBatchSizes()).containsExactlyInAnyOrder(100, 100, 50);
        assertThat(sweep.ended()).isZero();
        assertThat(exits).isEmpty();
    }

    /** A failed DescribeTasks call is one warning line that names the error (it said "…: {}"). */
    @Test
    void aFailedDescribeTasksIsLoggedWithItsError() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started)
                runtime.start(new TaskLaunch(attempt, exitingJob(), Map.of("SIM_RUN_MS", "600000")));
        runtime.watch(attempt, started.handle());
        sim.failNextCalls("DescribeTasks", 1, "ServerException", 500);
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EcsTaskRuntime.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            assertThat(runtime.sweep().failedCalls()).isEqualTo(1);
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list)
                .filteredOn(event -> event.getFormattedMessage().startsWith("DescribeTasks failed"))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getFormattedMessage()).doesNotContain("{}").contains("ServerException");
                    assertThat(event.getThrowableProxy()).isNull();
                });
    }

    /**
     * ECS answers a task it no longer knows with a MISSING failure; an emulator leaves it out of both
     * {@code tasks} and {@code failures}. Either way the attempt ends as a lost record once the task
     * has been missing for the grace, on the injected clock — not before.
     */
    @ParameterizedTest(name = "unknown tasks without a failure entry: {0}")
    @ValueSource(booleans = {false, true})
    void aTaskEcsNoLongerDescribesEndsAsRecordLostOnceMissingForTheGrace(boolean withoutFailures) {
        MutableClock clock = MutableClock.fixed();
        useSimulator(clock);
        sim.describeUnknownTasksWithoutFailures(withoutFailures);
        Duration grace = Duration.ofMinutes(5);
        EcsTaskRuntime runtime = runtime(grace, false, 20, clock);
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started)
                runtime.start(new TaskLaunch(attempt, exitingJob(), Map.of("SIM_RUN_MS", "600000")));
        runtime.watch(attempt, started.handle());
        clock.advance(Duration.ofMinutes(1));
        assertThat(runtime.sweep().ended()).isZero();

        sim.forget(started.handle().id());
        clock.advance(Duration.ofMinutes(1));
        assertThat(runtime.sweep().ended()).isZero(); // first seen missing now: the grace starts here
        clock.advance(grace.minusSeconds(1));
        assertThat(runtime.sweep().ended()).isZero();
        assertThat(exits).doesNotContainKey(attempt);
        clock.advance(Duration.ofSeconds(1));
        assertThat(runtime.sweep().ended()).isEqualTo(1);

        TaskExit exit = exits.get(attempt).get(0);
        assertThat(exit.recordLost()).isTrue();
        assertThat(exit.exitCode()).isEmpty();
        assertThat(exit.reason()).startsWith("task record lost").contains("never retried automatically");
        assertThat(runtime.watchedTasks()).isZero();
    }

    @Test
    void aTaskMissingOnlyBrieflyIsNotLost() {
        MutableClock clock = MutableClock.fixed();
        useSimulator(clock);
        sim.describeUnknownTasksWithoutFailures(true).setMissingAfterLaunch(Duration.ofMinutes(2));
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(3), false, 20, clock);
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started)
                runtime.start(new TaskLaunch(attempt, exitingJob(), Map.of("SIM_RUN_MS", "600000")));
        runtime.watch(attempt, started.handle());
        runtime.sweep(); // missing (just launched)
        clock.advance(Duration.ofMinutes(2));
        runtime.sweep(); // described: the missing time starts again
        sim.forget(started.handle().id());
        clock.advance(Duration.ofMinutes(2));
        assertThat(runtime.sweep().ended()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(runtime.sweep().ended()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(runtime.sweep().ended()).isEqualTo(1);
        assertThat(exits.get(attempt).get(0).recordLost()).isTrue();
    }

    /** A StopTask that failed is sent again, with a backoff, until ECS reports the task stopping. */
    @Test
    void aFailedStopTaskIsSentAgainUntilTheTaskStops() {
        MutableClock clock = MutableClock.fixed();
        useSimulator(clock);
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false, 20, clock);
        AttemptRef attempt = newAttempt();
        StartResult.Started started = (StartResult.Started)
                runtime.start(new TaskLaunch(attempt, exitingJob(), Map.of("SIM_RUN_MS", "600000")));
        runtime.watch(attempt, started.handle());
        clock.advance(Duration.ofSeconds(1));
        sim.failNextCalls("StopTask", 2, "ThrottlingException", 400);

        runtime.stop(started.handle(), "batchgate: run timeout"); // fails, and does not throw
        assertThat(sim.task(started.handle().id()).orElseThrow().desiredStatus())
                .isEqualTo("RUNNING");
        runtime.sweep(); // backoff not over: nothing sent
        assertThat(sim.calls("StopTask")).isEqualTo(1);
        for (int i = 0; i < 10 && exits.isEmpty(); i++) {
            clock.advance(Duration.ofMinutes(1));
            runtime.sweep();
        }
        assertThat(sim.calls("StopTask")).isEqualTo(3);
        assertThat(sim.task(started.handle().id()).orElseThrow().stoppedReason())
                .isEqualTo("batchgate: run timeout");
        assertThat(exits.get(attempt)).singleElement().satisfies(exit -> assertThat(exit.exitCode())
                .hasValue(143));
        clock.advance(Duration.ofMinutes(5));
        runtime.sweep();
        assertThat(sim.calls("StopTask")).isEqualTo(3);
    }

    /** After a restart, a task whose stop was asked and never reached ECS gets its StopTask from the sweep. */
    @Test
    void aRestartedRunnerSendsStopTaskAgainForATaskStillDesiredRunning() {
        MutableClock clock = MutableClock.fixed();
        useSimulator(clock);
        AttemptRef attempt = newAttempt();
        AttemptRef stoppedAttempt = newAttempt();
        EcsTaskRuntime before = runtime(Duration.ofMinutes(5), false, 20, clock);
        Map<String, String> longRun = Map.of("SIM_RUN_MS", "600000");
        TaskHandle task = ((StartResult.Started) before.start(new TaskLaunch(attempt, exitingJob(), longRun))).handle();
        TaskHandle stopping =
                ((StartResult.Started) before.start(new TaskLaunch(stoppedAttempt, exitingJob(), longRun))).handle();
        sim.setStopDelay(Duration.ofMinutes(1));
        sim.failNextCalls("StopTask", 1, "ServerException", 500);
        before.stop(task, "batchgate: cancelled"); // lost with the runner
        before.stop(stopping, "batchgate: cancelled"); // reached ECS: stopping for a minute
        assertThat(sim.calls("StopTask")).isEqualTo(2);

        EcsTaskRuntime after = runtime(Duration.ofMinutes(5), false, 20, clock);
        after.watchStopping(attempt, task, "batchgate: cancelled");
        after.watchStopping(stoppedAttempt, stopping, "batchgate: cancelled");
        after.sweep();
        assertThat(sim.calls("StopTask")).isEqualTo(3); // only for the task still desired RUNNING
        assertThat(sim.task(task.id()).orElseThrow().desiredStatus()).isEqualTo("STOPPED");
        clock.advance(Duration.ofMinutes(2));
        after.sweep();
        assertThat(exits.get(attempt)).singleElement();
        assertThat(exits.get(stoppedAttempt)).singleElement();
        assertThat(sim.calls("StopTask")).isEqualTo(3);
    }

    @Test
    void duplicatedAndOutOfOrderEventsEndTheAttemptOnceAndLikeInOrderOnes() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        AttemptRef inOrder = newAttempt();
        AttemptRef shuffled = newAttempt();
        List<String> events = new ArrayList<>();
        List<String> shuffledEvents = new ArrayList<>();
        for (AttemptRef attempt : List.of(inOrder, shuffled)) {
            StartResult.Started started = (StartResult.Started) runtime.start(
                    new TaskLaunch(attempt, exitingJob(), Map.of("SIM_EXIT_CODE", "3", "SIM_RUN_MS", "100")));
            runtime.watch(attempt, started.handle());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> sim.stateChangeEvents(started.handle().id()).size() == 4);
            (attempt == inOrder ? events : shuffledEvents)
                    .addAll(sim.stateChangeEvents(started.handle().id()));
        }
        tools.jackson.databind.json.JsonMapper json =
                tools.jackson.databind.json.JsonMapper.builder().build();
        events.forEach(event -> runtime.onStateChange(EcsTaskEvent.parse(json, event)));
        List<String> messy = new ArrayList<>(shuffledEvents);
        messy.addAll(shuffledEvents);
        messy.add(shuffledEvents.get(3));
        Collections.shuffle(messy, new Random(3));
        messy.forEach(event -> runtime.onStateChange(EcsTaskEvent.parse(json, event)));

        assertThat(exits.get(inOrder)).singleElement();
        assertThat(exits.get(shuffled)).singleElement();
        assertThat(exits.get(shuffled).get(0)).isEqualTo(exits.get(inOrder).get(0));
        assertThat(exits.get(inOrder).get(0).exitCode()).hasValue(3);
        assertThat(runtime.watchedTasks()).isZero();
    }

    @Test
    void overridesOverTheEcsLimitAreRefusedBeforeAnythingIsSent() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        TaskLaunch launch = new TaskLaunch(
                newAttempt(), exitingJob(), Map.of("BLOB", "x".repeat(4096), "SIM_STOP_REASON", "y".repeat(4096)));
        LaunchPreview preview = runtime.preview(launch);
        assertThat(preview.problems()).singleElement().asString().contains("at most 8192");
        assertThat(runtime.start(launch))
                .isInstanceOfSatisfying(StartResult.Refused.class, refused -> assertThat(refused.retryable())
                        .isFalse());
        assertThat(sim.calls("RunTask")).isZero();
    }

    /**
     * Quotes, a backslash, a control character, a non-ASCII letter, U+2028 and a character outside the BMP: each is
     * escaped, or not, the way the SDK writes it (the emoji as two {@code \\uXXXX} escapes, 12 characters).
     */
    private static final String AWKWARD = "say \"hi\" \\ \u00e9\u0001\u2028\ud83d\ude00 ";

    private TaskLaunch blobLaunch(String blob) {
        return new TaskLaunch(newAttempt(), exitingJob(), Map.of("BLOB", blob, "TOKEN", "s3cr3t \"quoted\""));
    }

    @Test
    void theOverridesAreMeasuredExactlyAsTheSimulatorReceivesThemOnTheWire() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        TaskLaunch launch = blobLaunch(AWKWARD.repeat(30));
        EcsLaunchPlan plan = new EcsLaunchPlan(
                launch,
                launch.launchTry(),
                launch.job().ecs().orElseThrow().taskDefinition(),
                new EcsRequestJson(JsonMapper.builder().build()));

        assertThat(runtime.start(launch)).isInstanceOf(StartResult.Started.class);

        assertThat(sim.runTaskOverridesLengths()).containsExactly(plan.overridesLength());
        // the SDK sends the emoji escaped: a re-serialization that writes it raw would count 300 characters fewer
        assertThat(plan.overridesLength()).isGreaterThan(30 * AWKWARD.length() + 300);
    }

    @Test
    void overridesOf8192CharactersAsSentAreLaunchedAndOneMoreIsRefusedBeforeAnythingIsSent() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        String awkward = AWKWARD.repeat(40);
        assertThat(runtime.start(blobLaunch(awkward))).isInstanceOf(StartResult.Started.class);
        // every further 'x' in the value is one more character on the wire
        String atLimit =
                awkward + "x".repeat(8192 - sim.runTaskOverridesLengths().get(0));

        assertThat(runtime.preview(blobLaunch(atLimit)).problems()).isEmpty();
        assertThat(runtime.start(blobLaunch(atLimit))).isInstanceOf(StartResult.Started.class);
        assertThat(sim.runTaskOverridesLengths()).last().isEqualTo(8192);

        String over = atLimit + "x";
        assertThat(runtime.preview(blobLaunch(over)).problems())
                .singleElement()
                .asString()
                .contains("would be 8193 characters")
                .contains("at most 8192");
        assertThat(runtime.start(blobLaunch(over)))
                .isInstanceOfSatisfying(StartResult.Refused.class, refused -> assertThat(refused.retryable())
                        .isFalse());
        assertThat(sim.calls("RunTask")).isEqualTo(2);
    }

    private EcsOrphanScanner orphanScanner(boolean stop, EcsOrphanScanner.Owners owners) {
        return new EcsOrphanScanner(ecs, () -> Set.of("batch"), owners, stop, new SimpleMeterRegistry());
    }

    @Test
    void tasksTaggedByBatchgateThatNoActiveAttemptOwnsAreReportedAndStoppedOnlyIfConfigured() {
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false);
        AttemptRef owned = newAttempt();
        AttemptRef orphaned = newAttempt();
        Map<String, String> longRun = Map.of("SIM_RUN_MS", "600000");
        String ownedArn = ((StartResult.Started) runtime.start(new TaskLaunch(owned, exitingJob(), longRun)))
                .handle()
                .id();
        String orphanArn = ((StartResult.Started) runtime.start(new TaskLaunch(orphaned, exitingJob(), longRun)))
                .handle()
                .id();
        ecs.runTask(r -> r.cluster("batch").taskDefinition("sim-task:1")).join(); // not batchgate's: no tags
        EcsOrphanScanner.Owners owners =
                (runId, attempt, arn) -> runId.equals(owned.runId().value()) && attempt == 1 && arn.equals(ownedArn);

        List<EcsOrphanScanner.Orphan> reported = orphanScanner(false, owners).scan();
        assertThat(reported).extracting(EcsOrphanScanner.Orphan::taskArn).containsExactly(orphanArn);
        assertThat(sim.task(orphanArn).orElseThrow().desiredStatus()).isEqualTo("RUNNING");

        orphanScanner(true, owners).scan();
        assertThat(sim.task(orphanArn).orElseThrow().desiredStatus()).isEqualTo("STOPPED");
        assertThat(sim.task(ownedArn).orElseThrow().desiredStatus()).isEqualTo("RUNNING");
    }

    /**
     * An emulator keeps desired RUNNING for a task that ended: ListTasks still lists it, but its last
     * status is STOPPED, so it is no orphan and gets no StopTask, even with stop-orphans on.
     */
    @Test
    void aTaskThatEndedButStillReadsDesiredRunningIsNoOrphan() {
        MutableClock clock = MutableClock.fixed();
        useSimulator(clock);
        sim.keepDesiredRunningWhenTasksEnd(true);
        EcsTaskRuntime runtime = runtime(Duration.ofMinutes(5), false, 20, clock);
        String ended = ((StartResult.Started)
                        runtime.start(new TaskLaunch(newAttempt(), exitingJob(), Map.of("SIM_RUN_MS", "1000"))))
                .handle()
                .id();
        String running = ((StartResult.Started)
                        runtime.start(new TaskLaunch(newAttempt(), exitingJob(), Map.of("SIM_RUN_MS", "600000"))))
                .handle()
                .id();
        clock.advance(Duration.ofSeconds(5));
        assertThat(sim.task(ended).orElseThrow())
                .satisfies(task -> assertThat(task.lastStatus()).isEqualTo("STOPPED"))
                .satisfies(task -> assertThat(task.desiredStatus()).isEqualTo("RUNNING"));

        List<EcsOrphanScanner.Orphan> reported =
                orphanScanner(true, (run, attempt, arn) -> false).scan();

        assertThat(reported).extracting(EcsOrphanScanner.Orphan::taskArn).containsExactly(running);
        assertThat(sim.calls("StopTask")).isEqualTo(1);
        assertThat(sim.task(running).orElseThrow().desiredStatus()).isEqualTo("STOPPED");
    }

    @Test
    void theDryRunShowsTheRunTaskRequestWithSecretsMasked() {
        TaskLaunch launch = new TaskLaunch(newAttempt(), exitingJob(), Map.of("TOKEN", "s3cr3t-value"));
        LaunchPreview preview = runtime(Duration.ofMinutes(5), false).preview(launch);
        assertThat(preview.request()).containsEntry("action", "RunTask");
        assertThat(preview.request().get("request"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("cluster", "batch")
                .containsEntry("count", 1)
                .containsEntry("startedBy", "batchgate/" + launch.attempt().runId() + "/1")
                .containsKeys("clientToken", "overrides", "tags");
        assertThat(preview.request().toString())
                .contains("sim-task:1")
                .contains("TOKEN")
                .contains("******")
                .doesNotContain("s3cr3t-value");
    }
}
