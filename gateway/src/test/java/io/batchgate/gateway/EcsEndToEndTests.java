package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.runtime.ecs.EcsTaskRuntime;
import io.batchgate.runner.runtime.ecs.EcsTaskTracker;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The production path end to end: HTTP trigger → ElasticMQ → runner → the real AWS SDK ECS
 * client → the ECS wire-protocol simulator → tracking → status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("sql")
class EcsEndToEndTests {

    static final EcsSimulator SIM = EcsTestSupport.simulator();
    static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("batchgate-ecs-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void ecsAgainstTheSimulator(DynamicPropertyRegistry registry) {
        for (String argument : EcsTestSupport.arguments(SIM, DATA_DIR)) {
            String[] pair = argument.substring(2).split("=", 2);
            registry.add(pair[0], () -> pair[1]);
        }
    }

    @BeforeAll
    static void selectedDatabaseIsThere() {
        TestDatabases.assumeSelectedDatabase();
    }

    @AfterAll
    static void stopSimulator() {
        SIM.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    EcsTaskTracker tracker;

    @Autowired
    EcsTaskRuntime runtime;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
        SIM.stopThrottling();
    }

    private static long timelineCount(JsonNode run, String status) {
        return run.get("timeline")
                .valueStream()
                .filter(e -> status.equals(e.get("to").asString()))
                .count();
    }

    @Test
    void exitCodesAreJudgedByTheCatalog() {
        JsonNode ok = api.awaitFinal(api.trigger("sim", Map.of("SIM_EXIT_CODE", "0")));
        JsonNode warning = api.awaitFinal(api.trigger("sim", Map.of("SIM_EXIT_CODE", "3")));
        JsonNode failed = api.awaitFinal(api.trigger("sim", Map.of("SIM_EXIT_CODE", "255", "SIM_RUN_MS", "300")));
        assertThat(ok.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(ok.get("attempts").get(0).get("taskHandle").asString()).startsWith("ecs:arn:aws:ecs:");
        assertThat(ok.get("attempts").get(0).get("runtime").asString()).isEqualTo("ecs");
        assertThat(warning.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(warning.get("warning").asBoolean()).isTrue();
        assertThat(warning.get("exitCode").asInt()).isEqualTo(3);
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.get("exitCode").asInt()).isEqualTo(255);
    }

    @Test
    void aTaskThatStoppedWithoutAnExitCodeFailsWithTheStopReason() {
        JsonNode run = api.awaitFinal(
                api.trigger("sim", Map.of("SIM_STOP_REASON", "CannotPullContainerError: image not found")));
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("exitCode").isNull()).isTrue();
        assertThat(run.get("reason").asString()).contains("TaskFailedToStart").contains("CannotPullContainerError");
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("LOST");
    }

    @Test
    void capacityRefusedTwiceThenPlacedSpendsOneAttempt() {
        SIM.failNextRunTasks(2, "RESOURCE:MEMORY");
        String runId = api.trigger("sim", Map.of());
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("attempts")).hasSize(1);
        assertThat(run.get("attempts").get(0).get("launchTries").asInt()).isEqualTo(3);
        assertThat(timelineCount(run, "RETRY_WAIT")).isEqualTo(2);
        assertThat(run.get("timeline")
                        .valueStream()
                        .filter(e -> "RETRY_WAIT".equals(e.get("to").asString()))
                        .map(e -> e.get("reason").asString()))
                .allMatch(reason -> reason.contains("RESOURCE:MEMORY") && reason.contains("infrastructure retry"));
        assertThat(SIM.launchedWithStartedBy("batchgate/" + runId + "/1")).isEqualTo(1);
    }

    /** Launch answers are counted per runtime: starts, throttles and capacity refusals (README, "Metrics"). */
    @Test
    void launchesThrottlesAndCapacityRefusalsAreCountedForTheEcsRuntime() {
        PrometheusScrape before = scrape();
        SIM.failNextRunTasks(1, "RESOURCE:CPU");
        assertThat(api.awaitFinal(api.trigger("sim", Map.of())).get("status").asString())
                .isEqualTo("SUCCEEDED");
        SIM.failNextCalls("RunTask", 1, "ThrottlingException", 400);
        assertThat(api.awaitFinal(api.trigger("sim", Map.of())).get("status").asString())
                .isEqualTo("SUCCEEDED");

        // a run's end is counted just after its commit, which its final status may beat
        PrometheusScrape after = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        this::scrape,
                        s -> s.sum("batchgate_runs_finished_total", Map.of("job", "sim"))
                                >= before.sum("batchgate_runs_finished_total", Map.of("job", "sim")) + 2);
        java.util.function.ToDoubleFunction<String> launches =
                result -> after.sum("batchgate_launches_total", Map.of("runtime", "ecs", "result", result))
                        - before.sum("batchgate_launches_total", Map.of("runtime", "ecs", "result", result));
        assertThat(launches.applyAsDouble("capacity")).isEqualTo(1);
        assertThat(launches.applyAsDouble("throttled")).isEqualTo(1);
        assertThat(launches.applyAsDouble("started")).isEqualTo(2);
        assertThat(after.sum("batchgate_runs_finished_total", Map.of("job", "sim", "outcome", "succeeded"))
                        - before.sum("batchgate_runs_finished_total", Map.of("job", "sim", "outcome", "succeeded")))
                .isEqualTo(2);
    }

    private PrometheusScrape scrape() {
        HttpResponse<String> response = api.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    @Test
    void aMissingClusterFailsAtOnceWithoutRetrying() {
        JsonNode run = api.awaitFinal(api.trigger("nowhere", Map.of()));
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("reason").asString()).contains("ClusterNotFoundException");
        assertThat(timelineCount(run, "RETRY_WAIT")).isZero();
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("REFUSED");
    }

    @Test
    void theDryRunShowsTheRunTaskRequestAndQueuesNothing() {
        int before = SIM.calls("RunTask");
        HttpResponse<String> response = api.post(
                "/api/v1/jobs/sim/runs?dryRun=true",
                "application/json",
                // a secret param value is refused for an ECS job, in a dry run too (see below)
                "{\"params\":{\"SIM_EXIT_CODE\":\"4\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = api.json(response);
        assertThat(body.get("dryRun").asBoolean()).isTrue();
        assertThat(body.get("runtime").asString()).isEqualTo("ecs");
        JsonNode request = body.get("launch").get("request");
        assertThat(request.get("cluster").asString()).isEqualTo("batch");
        assertThat(request.get("taskDefinition").asString()).isEqualTo("sim-task:1");
        assertThat(request.get("overrides")
                        .get("containerOverrides")
                        .get(0)
                        .get("name")
                        .asString())
                .isEqualTo("app");
        assertThat(response.body()).contains("SIM_EXIT_CODE");
        // the simulator's task definition leaves awslogs at its non-blocking default: a warning, not a refusal
        assertThat(body.get("warnings").valueStream().map(JsonNode::asString).toList())
                .singleElement()
                .satisfies(warning -> assertThat(warning)
                        .startsWith("task definition sim-task:1: awslogs mode is non-blocking")
                        .contains("set mode: blocking"));
        assertThat(SIM.calls("RunTask")).isEqualTo(before);
        assertThat(api.json(api.get("/api/v1/runs?job=sim&limit=500"))
                        .get("runs")
                        .valueStream()
                        .noneMatch(run -> run.get("params")
                                .path("SIM_EXIT_CODE")
                                .asString("")
                                .equals("4")))
                .isTrue();
    }

    @Test
    void aSecretParamValueForAnEcsJobIsRefusedNamingSecretsAndNothingIsStored() {
        int launchedBefore = SIM.launched();
        HttpResponse<String> response =
                api.post("/api/v1/jobs/sim/runs", "application/json", "{\"params\":{\"TOKEN\":\"hunter2-value\"}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = api.json(response);
        assertThat(problem.get("type").asString()).isEqualTo("/problems/secret-param-on-ecs");
        assertThat(problem.get("detail").asString()).contains("TOKEN").contains("secrets:");
        assertThat(response.body()).doesNotContain("hunter2-value");
        assertThat(api.get("/api/v1/runs?job=sim&limit=100").body()).doesNotContain("hunter2-value");
        assertThat(SIM.launched()).isEqualTo(launchedBefore);
    }

    @Test
    void aJobWithSecretsRunsOnARevisionWithTheReferenceAndNoValueOnTheWire() {
        String first = api.trigger("vault", Map.of("TARGET", "prod"));
        String second = api.trigger("vault", Map.of("TARGET", "prod"));
        JsonNode one = api.awaitFinal(first);
        JsonNode two = api.awaitFinal(second);

        assertThat(one.get("status").asString()).as(one.toString()).isEqualTo("SUCCEEDED");
        assertThat(two.get("status").asString()).as(two.toString()).isEqualTo("SUCCEEDED");
        SimTask taskOne = SIM.task(taskId(one)).orElseThrow();
        SimTask taskTwo = SIM.task(taskId(two)).orElseThrow();
        assertThat(taskOne.taskDefinitionArn())
                .isEqualTo(taskTwo.taskDefinitionArn())
                .contains(":task-definition/sim-task-bgsecrets:");
        assertThat(SIM.registeredTaskDefinitionRequests())
                .filteredOn(body -> body.contains("secret:billing/prod"))
                .hasSize(1);
        // the secret reaches the task through its definition only: not as an override, not in the run
        assertThat(taskOne.env()).doesNotContainKey("DB_PASSWORD");
        assertThat(one.toString()).doesNotContain("DB_PASSWORD");
    }

    private static String taskId(JsonNode run) {
        String handle = run.get("attempts").get(0).get("taskHandle").asString();
        return handle.substring(handle.indexOf(':') + 1);
    }

    @Test
    void overridesBeyondEcsLimitAreRefusedBeforeQueueing() {
        HttpResponse<String> response = api.post(
                "/api/v1/jobs/sim/runs",
                "application/json",
                "{\"params\":{\"BLOB\":\"" + "x".repeat(4096) + "\",\"BLOB2\":\"" + "y".repeat(4096) + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(api.json(response).get("type").asString()).isEqualTo("/problems/launch-refused");
        assertThat(api.json(response).get("detail").asString()).contains("8192");
    }

    @Test
    void aBurstOf300UnderThrottlingAllSucceedAtTheQuota() throws Exception {
        SIM.throttleRunTask(20, 100);
        SIM.resetCounters();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<String> runIds = new ArrayList<>();
        try {
            List<Future<String>> triggers = IntStream.range(0, 300)
                    .mapToObj(i -> callers.submit(() -> api.trigger("sim", Map.of("SIM_RUN_MS", "200"))))
                    .toList();
            for (Future<String> trigger : triggers) {
                runIds.add(trigger.get());
            }
        } finally {
            callers.shutdown();
        }
        List<JsonNode> runs = runIds.stream().map(api::awaitFinal).toList();
        assertThat(runs)
                .allSatisfy(run -> assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED"));
        assertThat(runs).allSatisfy(run -> assertThat(run.get("attempts")).hasSize(1));
        assertThat(SIM.launched()).isEqualTo(300);
        assertThat(tracker.recentSweeps())
                .allSatisfy(sweep -> assertThat(sweep.calls()).isLessThanOrEqualTo((sweep.tasks() + 99) / 100));
        assertThat(SIM.describeBatchSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(100));
        assertThat(runtime.watchedTasks()).isZero();
    }
}
