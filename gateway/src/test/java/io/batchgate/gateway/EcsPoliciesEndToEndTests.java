package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Received;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.runtime.ecs.sim.SimTask;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The ECS runtime's policies end to end — HTTP → queue → runner → the real ECS client → the wire
 * simulator → tracking → status, log and heartbeat — with the ECS emulator's quirks on: unknown
 * tasks are answered with neither a task nor a MISSING failure. Cancel, run timeout, start timeout,
 * overlap {@code replace}, a lost task record (never retried, whatever the rules say), and a
 * StopTask that fails (sent again until the task stops, also after a restart). Runs on H2 and on
 * MariaDB (the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EcsPoliciesEndToEndTests {

    static final String JOBS = """
            jobs:
              greedy:
                description: Retried by every rule there is; a lost task record must still not be.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                retry:
                  maxAttempts: 3
                  backoff: { initial: 1s }
                  rules:
                    - lost: true
                      action: RETRY
                    - action: RETRY
                monitor: { url: "%s/ping/greedy" }
              greedy-limited:
                description: Runs at most a second and is retried by every rule there is.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                timeouts: { run: 1s }
                retry:
                  maxAttempts: 3
                  backoff: { initial: 1s }
                  rules:
                    - timedOut: true
                      action: RETRY
                    - lost: true
                      action: RETRY
                    - action: RETRY
              limited:
                description: Runs at most two seconds.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                timeouts: { run: 2s }
              spot:
                description: Capacity must come within 3 seconds; if it does not, one more try.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                timeouts: { start: 3s }
                retry:
                  maxAttempts: 2
                  backoff: { initial: 1s }
                  rules:
                    - startTimedOut: true
                      action: RETRY
              spot-refused:
                description: As spot, with a start timeout short enough for the infrastructure retry budget.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                timeouts: { start: 1s }
                retry:
                  maxAttempts: 2
                  backoff: { initial: 1s }
                  rules:
                    - startTimedOut: true
                      action: RETRY
              latest-wins:
                description: A new run replaces the active one.
                ecs: { cluster: batch, taskDefinition: "sim-task:1", container: app }
                params:
                  SIM_RUN_MS: { type: int, min: 0, max: 600000, default: "0" }
                concurrency: { overlap: replace }
            """;

    private final RecordingHealthchecks healthchecks = new RecordingHealthchecks();
    private final EcsSimulator sim = EcsTestSupport.simulator().describeUnknownTasksWithoutFailures(true);
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private Path dataDir;
    private String databaseUrl;
    private ApiClient api;

    /** A new, empty database for the class; H2's is a file under the data directory. */
    abstract String newDatabaseUrl(Path dataDir);

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        dataDir = dir;
        databaseUrl = newDatabaseUrl(dir);
        api = api(startContext());
    }

    @AfterEach
    void resetSimulator() {
        sim.failNextCalls("StopTask", 0, "ThrottlingException", 400)
                .setStopDelay(Duration.ZERO)
                .setProvisioning(Duration.ZERO)
                .failNextRunTasks(0, "");
    }

    @AfterAll
    void stop() {
        contexts.forEach(ConfigurableApplicationContext::close);
        sim.close();
        healthchecks.close();
    }

    private ConfigurableApplicationContext startContext() {
        Path catalog = EcsTestSupport.catalog(dataDir.resolve("catalog"));
        try {
            Files.writeString(catalog.resolve("zz-policies.yaml"), JOBS.formatted(healthchecks.baseUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(EcsTestSupport.arguments(sim, dataDir));
        args.addAll(List.of(
                "--server.port=0",
                "--batchgate.runtime.ecs.missing-grace=1s",
                "--batchgate.runner.adoption-interval=300ms",
                "--batchgate.queue.relay-interval=100ms",
                "--batchgate.monitor.enabled=true",
                "--batchgate.monitor.interval=100ms",
                "--batchgate.monitor.ping-base-url=" + healthchecks.baseUrl()));
        if (databaseUrl.startsWith("jdbc:mysql:")) {
            args.add("--spring.datasource.url=" + databaseUrl);
            args.add("--spring.datasource.username=" + TestDatabases.MARIADB_USER);
            args.add("--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD);
        }
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    private static ApiClient api(ConfigurableApplicationContext context) {
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static JsonNode awaitStatus(ApiClient api, String runId, String status) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> api.run(runId),
                        run -> status.equals(run.get("status").asString()));
    }

    private static String taskArn(JsonNode run, int attempt) {
        return run.get("attempts").get(attempt - 1).get("taskHandle").asString().substring("ecs:".length());
    }

    private static List<String> statuses(JsonNode run) {
        return run.get("timeline")
                .valueStream()
                .map(e -> e.get("to").asString())
                .toList();
    }

    private HttpResponse<String> cancel(ApiClient api, String runId) {
        return api.post("/api/v1/runs/" + runId + "/cancel", "application/json", "{\"reason\":\"operator request\"}");
    }

    /** ECS (here: the emulator) forgets a running task: after the grace its attempt ends, never retried. */
    @Test
    void aTaskRecordLostWhileRunningEndsTheRunAndIsNotRetriedByAnyRule() {
        String runId = api.trigger("greedy", Map.of("SIM_RUN_MS", "600000"));
        JsonNode running = awaitStatus(api, runId, "RUNNING");
        sim.forget(taskArn(running, 1));

        JsonNode run = api.awaitFinal(runId);

        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("attempts")).hasSize(1);
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("RECORD_LOST");
        assertThat(run.get("reason").asString()).startsWith("task record lost");
        assertThat(sim.launchedWithStartedBy("batchgate/" + runId + "/2")).isZero();
        assertThat(api.logs(runId))
                .contains("── attempt 1 ended: record lost: task record lost")
                .contains("── run FAILED: task record lost");
        Received failure = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> healthchecks.received().stream()
                                .filter(r -> r.path().equals("/ping/greedy/fail"))
                                .filter(r -> r.text().contains(runId))
                                .findFirst(),
                        found -> found.isPresent())
                .orElseThrow();
        assertThat(failure.text()).contains("FAILED: task record lost");
    }

    /** A run timed out and its StopTask never got through; then the task's record is lost: TIMED_OUT, no retry. */
    @Test
    void aTimedOutRunInStoppingWhoseTaskRecordIsLostEnds() {
        sim.failNextCalls("StopTask", 1_000_000, "ThrottlingException", 400);
        String runId = api.trigger("greedy-limited", Map.of("SIM_RUN_MS", "600000"));
        JsonNode stopping = awaitStatus(api, runId, "STOPPING");
        sim.forget(taskArn(stopping, 1));

        JsonNode run = api.awaitFinal(runId);

        assertThat(run.get("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(run.get("attempts")).hasSize(1);
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("RECORD_LOST");
        assertThat(run.get("reason").asString()).contains("task record lost");
    }

    /** StopTask answered ThrottlingException twice: sent again until the task stopped, and the run is final. */
    @Test
    void aRunTimeoutWhoseStopTaskFailsTwiceStillStopsTheTask() {
        int before = sim.calls("StopTask");
        sim.failNextCalls("StopTask", 2, "ThrottlingException", 400);
        String runId = api.trigger("limited", Map.of("SIM_RUN_MS", "600000"));

        JsonNode run = api.awaitFinal(runId);

        assertThat(run.get("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(run.get("exitCode").asInt()).isEqualTo(143);
        assertThat(statuses(run)).containsSubsequence("RUNNING", "STOPPING", "TIMED_OUT");
        assertThat(sim.calls("StopTask") - before).isEqualTo(3);
        SimTask task = sim.task(taskArn(run, 1)).orElseThrow();
        assertThat(task.lastStatus()).isEqualTo("STOPPED");
        assertThat(task.stoppedReason()).isEqualTo("batchgate: run timeout");
    }

    /** Cancel: StopTask, the run STOPPING while the task stops, CANCELLED once ECS reports it STOPPED. */
    @Test
    void cancellingStopsTheTaskAndEndsCancelledWhenItHasStopped() {
        sim.setStopDelay(Duration.ofSeconds(2));
        String runId = api.trigger("sim", Map.of("SIM_RUN_MS", "600000"));
        awaitStatus(api, runId, "RUNNING");
        sim.failNextCalls("StopTask", 1, "ServerException", 500);

        HttpResponse<String> response = cancel(api, runId);

        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
        assertThat(api.json(response).get("status").asString()).isEqualTo("STOPPING");
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("reason").asString()).contains("operator request");
        SimTask task = sim.task(taskArn(run, 1)).orElseThrow();
        assertThat(task.lastStatus()).isEqualTo("STOPPED");
        assertThat(task.stopCode()).isEqualTo("UserInitiated");
        assertThat(run.get("attempts").get(0).get("exitCode").asInt()).isEqualTo(143);
    }

    /**
     * The start timeout covers PROVISIONING and PENDING: a task still placed after it is stopped, and
     * the job's {@code startTimedOut} rule tries once more; capacity comes for the second attempt.
     */
    @Test
    void aTaskNotRunningWithinTheStartTimeoutIsStoppedAndRetriedByItsRule() {
        sim.setProvisioning(Duration.ofMinutes(10));
        String runId = api.trigger("spot", Map.of("SIM_RUN_MS", "200"));
        JsonNode stopping = awaitStatus(api, runId, "STOPPING");
        sim.setProvisioning(Duration.ZERO);

        JsonNode run = api.awaitFinal(runId);

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("attempts")).hasSize(2);
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("LOST");
        assertThat(run.get("attempts").get(0).get("startedAt").isNull()).isTrue();
        assertThat(statuses(run)).containsSubsequence("RUNNING", "STOPPING", "RETRY_WAIT", "RUNNING", "SUCCEEDED");
        assertThat(run.get("timeline").valueStream().map(e -> e.get("reason").asString()))
                .anyMatch(reason -> reason.startsWith("start timeout") && reason.contains("not running within"))
                .anyMatch(reason -> reason.contains("startTimedOut true → RETRY"));
        SimTask first = sim.task(taskArn(stopping, 1)).orElseThrow();
        assertThat(first.stoppedReason()).isEqualTo("batchgate: start timeout");
        assertThat(first.exitCode()).isNull();
    }

    /**
     * RunTask refused for lack of capacity until the start timeout passes (infrastructure retries
     * spend no attempt): a start timeout as well, and the {@code startTimedOut} rule opens attempt 2.
     */
    @Test
    void capacityRefusedUntilTheStartTimeoutIsRetriedByTheStartTimedOutRule() {
        sim.failNextRunTasks(1_000_000, "Capacity is unavailable at this time. Please try again later.");
        String runId = api.trigger("spot-refused", Map.of("SIM_RUN_MS", "200"));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> api.run(runId).get("timeline").valueStream().anyMatch(e -> e.get("reason")
                        .asString()
                        .contains("startTimedOut true → RETRY")));
        sim.failNextRunTasks(0, "");

        JsonNode run = api.awaitFinal(runId);

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("attempts")).hasSize(2);
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("NOT_STARTED");
        assertThat(run.get("attempts").get(0).get("launchTries").asInt()).isGreaterThan(1);
        assertThat(sim.launchedWithStartedBy("batchgate/" + runId + "/1")).isZero();
        assertThat(sim.launchedWithStartedBy("batchgate/" + runId + "/2")).isEqualTo(1);
    }

    /** With no capacity at all the second attempt times out too: TIMED_OUT, no attempt left. */
    @Test
    void aStartTimeoutWithNoAttemptLeftEndsTimedOut() {
        sim.setProvisioning(Duration.ofMinutes(10));
        JsonNode run = api.awaitFinal(api.trigger("spot", Map.of()));

        assertThat(run.get("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(run.get("attempts")).hasSize(2);
        assertThat(run.get("reason").asString()).startsWith("start timeout");
    }

    /** Overlap replace on ECS: the newer run's trigger stops the older run's task; the newer one runs. */
    @Test
    void replaceStopsTheActiveRunsTaskAndRunsTheNewOne() {
        String first = api.trigger("latest-wins", Map.of("SIM_RUN_MS", "600000"));
        JsonNode firstRunning = awaitStatus(api, first, "RUNNING");
        String second = api.trigger("latest-wins", Map.of("SIM_RUN_MS", "300"));

        JsonNode replaced = api.awaitFinal(first);
        JsonNode newer = api.awaitFinal(second);

        assertThat(replaced.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(replaced.get("reason").asString()).contains("replaced");
        assertThat(sim.task(taskArn(firstRunning, 1)).orElseThrow().lastStatus())
                .isEqualTo("STOPPED");
        assertThat(newer.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    /**
     * A cancel whose StopTask failed, then the runner stops: the restarted runner sends StopTask
     * again for the task still desired RUNNING, and the run ends CANCELLED.
     */
    @Test
    void aRestartedRunnerSendsAFailedStopTaskAgain() {
        String runId = api.trigger("sim", Map.of("SIM_RUN_MS", "600000"));
        awaitStatus(api, runId, "RUNNING");
        sim.failNextCalls("StopTask", 1_000_000, "ServerException", 500);
        assertThat(cancel(api, runId).statusCode()).isIn(200, 202);
        String arn = taskArn(api.run(runId), 1);
        ConfigurableApplicationContext first = contexts.remove(0);
        first.close();
        assertThat(sim.task(arn).orElseThrow().desiredStatus()).isEqualTo("RUNNING");
        sim.failNextCalls("StopTask", 0, "ServerException", 500);

        api = api(startContext());
        JsonNode run = api.awaitFinal(runId);

        assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(sim.task(arn).orElseThrow().stopCode()).isEqualTo("UserInitiated");
    }
}
