package io.batchgate.runner.runtime.ecs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.ServerException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import tools.jackson.databind.JsonNode;

/** Drives the simulator with the real AWS SDK clients: if these pass, the wire format is what the SDK expects. */
class EcsSimulatorTests {

    private static final String CLUSTER = "batch";
    private static final Map<String, String> LOG_OPTIONS = Map.of(
            "awslogs-group", "/batchgate/jobs",
            "awslogs-region", "us-east-1",
            "awslogs-stream-prefix", "job",
            "mode", "blocking");

    private final MutableClock clock = MutableClock.fixed();
    private EcsSimulator sim;
    private EcsClient ecs;

    @BeforeEach
    void start() {
        sim = EcsSimulator.start(clock)
                .addCluster(CLUSTER)
                .registerTaskDefinition("job", 1, List.of("main"))
                .registerTaskDefinition("job", 3, List.of("main", "sidecar"), LOG_OPTIONS, 30);
        ecs = EcsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                // Retries would spend throttle tokens and hide injected errors.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        ecs.close();
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 255})
    void taskGoesThroughItsLifecycleAndReportsTheExitCode(int exitCode) {
        sim.setProvisioning(Duration.ofSeconds(1)).setPending(Duration.ofSeconds(2));
        Instant launchedAt = clock.instant();

        Task launched = runTask(Map.of("SIM_RUN_MS", "5000", "SIM_EXIT_CODE", String.valueOf(exitCode)))
                .tasks()
                .get(0);

        assertThat(launched.taskArn()).matches("arn:aws:ecs:us-east-1:123456789012:task/batch/[0-9a-f]{32}");
        assertThat(launched.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/batch");
        assertThat(launched.taskDefinitionArn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:task-definition/job:3");
        assertThat(launched.lastStatus()).isEqualTo("PROVISIONING");
        assertThat(launched.desiredStatus()).isEqualTo("RUNNING");
        assertThat(launched.version()).isEqualTo(1L);
        assertThat(launched.launchType()).isEqualTo(LaunchType.FARGATE);
        assertThat(launched.startedBy()).isEqualTo("batchgate");
        assertThat(launched.createdAt()).isEqualTo(launchedAt);
        assertThat(launched.containers()).extracting(Container::name).containsExactly("main", "sidecar");
        assertThat(launched.overrides().containerOverrides().get(0).environment())
                .contains(
                        KeyValuePair.builder().name("SIM_RUN_MS").value("5000").build());

        clock.advance(Duration.ofSeconds(1));
        assertThat(describe(launched.taskArn()).lastStatus()).isEqualTo("PENDING");

        clock.advance(Duration.ofSeconds(2));
        Task running = describe(launched.taskArn());
        assertThat(running.lastStatus()).isEqualTo("RUNNING");
        assertThat(running.version()).isEqualTo(3L);
        assertThat(running.startedAt()).isEqualTo(launchedAt.plusSeconds(3));
        assertThat(running.containers().get(0).exitCode()).isNull();

        clock.advance(Duration.ofMillis(5000));
        Task stopped = describe(launched.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.version()).isEqualTo(4L);
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(exitCode);
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.stoppedAt()).isEqualTo(launchedAt.plusSeconds(8));
        assertThat(sim.task(launched.taskArn()).orElseThrow().exitCode()).isEqualTo(exitCode);
    }

    @Test
    void timestampsAreEpochSecondsWithFractions() throws Exception {
        clock.set(Instant.parse("2026-11-23T12:00:00.123Z"));
        HttpResponse<String> response =
                post("RunTask", "{\"cluster\":\"batch\",\"taskDefinition\":\"job\",\"launchType\":\"FARGATE\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        JsonNode task = SimJson.MAPPER.readTree(response.body()).path("tasks").path(0);
        assertThat(task.path("createdAt").isNumber()).isTrue();
        assertThat(task.path("createdAt").decimalValue())
                .isEqualByComparingTo(String.valueOf(clock.instant().toEpochMilli() / 1000.0));
    }

    @Test
    void stopReasonMakesTheTaskFailToStartWithoutAnExitCode() {
        String reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s)";
        Task launched = runTask(Map.of("SIM_STOP_REASON", reason)).tasks().get(0);

        Task stopped = describe(launched.taskArn());

        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).isEqualTo(reason);
        assertThat(stopped.startedAt()).isNull();
        assertThat(stopped.containers().get(0).exitCode()).isNull();
        assertThat(stopped.containers().get(0).reason()).isEqualTo(reason);
    }

    @Test
    void stopTaskSendsSigtermAndStopsAfterTheStopDelay() {
        sim.setStopDelay(Duration.ofSeconds(10));
        Task launched = runTask(Map.of("SIM_RUN_MS", "600000")).tasks().get(0);
        clock.advance(Duration.ofSeconds(5));

        Task stopping = ecs.stopTask(
                        r -> r.cluster(CLUSTER).task(launched.taskArn()).reason("batchgate: timeout"))
                .task();

        assertThat(stopping.lastStatus()).isEqualTo("RUNNING");
        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopping.stoppingAt()).isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(10));
        Task stopped = describe(launched.taskArn());
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(stopped.stoppedReason()).isEqualTo("batchgate: timeout");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
        // A second stop changes nothing.
        assertThat(ecs.stopTask(r -> r.cluster(CLUSTER).task(launched.taskArn()).reason("again"))
                        .task()
                        .stoppedReason())
                .isEqualTo("batchgate: timeout");
    }

    @Test
    void capacityProviderStrategyIsReportedOnTheTask() {
        Task task = ecs.runTask(r -> r.cluster(CLUSTER)
                        .taskDefinition("job:1")
                        .capacityProviderStrategy(
                                s -> s.capacityProvider("FARGATE_SPOT").weight(1)))
                .tasks()
                .get(0);

        assertThat(task.capacityProviderName()).isEqualTo("FARGATE_SPOT");
        assertThat(task.launchType()).isEqualTo(LaunchType.FARGATE);
        assertThat(task.group()).isEqualTo("family:job");
        assertThat(task.taskDefinitionArn()).endsWith("task-definition/job:1");
    }

    @Test
    void stopTaskOfAnUnknownTaskIsAnInvalidParameter() {
        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster(CLUSTER).task("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("The referenced task was not found.");
    }

    @Test
    void listTasksByStartedByPagesThroughAllTasks() {
        for (int i = 0; i < 25; i++) {
            runTask(r -> r.count(10).startedBy("batchgate/replica-1"), Map.of("SIM_RUN_MS", "600000"));
        }
        runTask(r -> r.startedBy("someone-else"), Map.of("SIM_RUN_MS", "600000"));

        ListTasksResponse first = ecs.listTasks(
                r -> r.cluster(CLUSTER).startedBy("batchgate/replica-1").maxResults(100));
        List<ListTasksResponse> pages =
                ecs
                        .listTasksPaginator(r -> r.cluster(CLUSTER)
                                .startedBy("batchgate/replica-1")
                                .maxResults(100))
                        .stream()
                        .toList();

        assertThat(first.taskArns()).hasSize(100);
        assertThat(first.nextToken()).isNotBlank();
        assertThat(pages).hasSize(3);
        List<String> arns = pages.stream().flatMap(p -> p.taskArns().stream()).toList();
        assertThat(arns).hasSize(250).doesNotHaveDuplicates();
        assertThat(Set.copyOf(arns))
                .isEqualTo(sim.tasks().stream()
                        .filter(t -> "batchgate/replica-1".equals(t.startedBy()))
                        .map(SimTask::arn)
                        .collect(java.util.stream.Collectors.toSet()));
        assertThat(sim.launchedWithStartedBy("batchgate/replica-1")).isEqualTo(250);
    }

    @Test
    void listTasksSplitsByDesiredStatus() {
        String running = runTask(Map.of("SIM_RUN_MS", "600000")).tasks().get(0).taskArn();
        String finished = runTask(Map.of()).tasks().get(0).taskArn();

        assertThat(ecs.listTasks(r -> r.cluster(CLUSTER)).taskArns()).containsExactly(running);
        assertThat(ecs.listTasks(r -> r.cluster(CLUSTER).desiredStatus(DesiredStatus.STOPPED))
                        .taskArns())
                .containsExactly(finished);
        assertThatThrownBy(() ->
                        ecs.listTasks(r -> r.cluster(CLUSTER).startedBy("x").family("job")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void requestLimitsAreEnforced() {
        assertThatThrownBy(() -> runTask(r -> r.count(11), Map.of())).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> runTask(r -> r.startedBy("not allowed!"), Map.of()))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> runTask(r -> r.clientToken("x".repeat(65)), Map.of()))
                .isInstanceOf(InvalidParameterException.class);
        List<Tag> tags = IntStream.range(0, 51)
                .mapToObj(i -> Tag.builder().key("k" + i).value("v").build())
                .toList();
        assertThatThrownBy(() -> runTask(r -> r.tags(tags), Map.of())).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() ->
                        runTask(r -> r.capacityProviderStrategy(s -> s.capacityProvider("FARGATE_SPOT")), Map.of()))
                .isInstanceOf(InvalidParameterException.class);
        List<String> ids =
                IntStream.range(0, 101).mapToObj(i -> String.format("%032x", i)).toList();
        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(ids)))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(sim.launched()).isZero();
    }

    @Test
    void overridesLongerThan8192CharactersAreRejected() {
        assertThatThrownBy(() -> runTask(Map.of("BIG", "x".repeat(8200))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Container Overrides length must be at most 8192");
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(CLUSTER)
                        .taskDefinition("job")
                        .overrides(o -> o.containerOverrides(c -> c.name("no-such-container")))))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(sim.launched()).isZero();
    }

    @Test
    void clientTokenReplayReturnsTheOriginalTaskAndAChangedRequestConflicts() {
        String token = "run-42-attempt-1-try-1";
        String arn = runTask(r -> r.clientToken(token), Map.of("SIM_RUN_MS", "60000"))
                .tasks()
                .get(0)
                .taskArn();
        clock.advance(Duration.ofHours(1));

        RunTaskResponse replay = runTask(r -> r.clientToken(token), Map.of("SIM_RUN_MS", "60000"));

        assertThat(replay.tasks()).extracting(Task::taskArn).containsExactly(arn);
        assertThat(sim.launched()).isEqualTo(1);
        assertThat(sim.task(arn).orElseThrow().clientToken()).isEqualTo(token);
        assertThatThrownBy(() -> runTask(r -> r.clientToken(token), Map.of("SIM_RUN_MS", "1")))
                .isInstanceOf(ConflictException.class);
        // After 24 hours the token is free again.
        clock.advance(Duration.ofHours(24));
        assertThat(runTask(r -> r.clientToken(token), Map.of("SIM_RUN_MS", "1"))
                        .tasks()
                        .get(0)
                        .taskArn())
                .isNotEqualTo(arn);
        assertThat(sim.launched()).isEqualTo(2);
    }

    @Test
    void unknownClusterAndTaskDefinitionAreRejected() {
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("nope").taskDefinition("job")))
                .isInstanceOf(ClusterNotFoundException.class)
                .hasMessageContaining("Cluster not found.");
        assertThatThrownBy(() -> ecs.runTask(r -> r.taskDefinition("job"))) // "default" was never added
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("job:2")))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("TaskDefinition not found.");
        assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("other")))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void throttlingAllowsTheBurstThenTheRefillRate() {
        sim.throttleRunTask(20, 100);

        int ok = 0;
        List<EcsException> errors = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            try {
                runTask(Map.of());
                ok++;
            } catch (EcsException e) {
                errors.add(e);
            }
        }

        assertThat(ok).isEqualTo(100);
        assertThat(errors).hasSize(50).allSatisfy(e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.getMessage()).contains("Rate exceeded");
        });
        assertThat(sim.throttled()).isEqualTo(50);
        assertThat(sim.launched()).isEqualTo(100);

        clock.advance(Duration.ofSeconds(1));
        int refilled = 0;
        for (int i = 0; i < 21; i++) {
            try {
                runTask(Map.of());
                refilled++;
            } catch (EcsException e) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            }
        }
        assertThat(refilled).isEqualTo(20);
        assertThat(sim.runTaskLaunchTimes()).hasSize(120).last().isEqualTo(clock.instant());
        assertThat(sim.calls("RunTask")).isEqualTo(171);
    }

    @Test
    void throttlingCanBeDisguisedAsAnInvalidParameter() {
        sim.throttleRunTask(1, 1).throttleDisguisedAsInvalidParameter(true);
        runTask(Map.of());

        assertThatThrownBy(() -> runTask(Map.of()))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Rate exceeded");
    }

    @Test
    void capacityFailuresAnswerWithFailuresAndNoTasks() {
        sim.failNextRunTasks(1, "RESOURCE:MEMORY");

        RunTaskResponse failed = runTask(Map.of());

        assertThat(failed.tasks()).isEmpty();
        assertThat(failed.failures()).singleElement().satisfies(f -> assertThat(f.reason())
                .isEqualTo("RESOURCE:MEMORY"));
        assertThat(sim.launched()).isZero();
        assertThat(runTask(Map.of()).tasks()).hasSize(1);
    }

    @Test
    void injectedErrorsMapToTheSdkExceptions() {
        sim.failNextCalls("DescribeTasks", 1, "ServerException", 500)
                .failNextCalls("StopTask", 1, "AccessDeniedException", 400);

        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster(CLUSTER).tasks("x")))
                .isInstanceOf(ServerException.class)
                .satisfies(e -> assertThat(((ServerException) e).statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster(CLUSTER).task("x")))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(ecs.describeTasks(r -> r.cluster(CLUSTER).tasks("x")).failures())
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertThat(sim.callCounts()).containsEntry("DescribeTasks", 2).containsEntry("StopTask", 1);
    }

    @Test
    void stoppedTasksAreForgottenAndNewTasksCanBeMissingAtFirst() {
        sim.forgetStoppedAfter(Duration.ofHours(1)).setMissingAfterLaunch(Duration.ofSeconds(2));
        String arn = runTask(Map.of("SIM_RUN_MS", "1000")).tasks().get(0).taskArn();

        assertThat(ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arn)).failures())
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.arn()).isEqualTo(arn);
                    assertThat(f.reason()).isEqualTo("MISSING");
                });
        clock.advance(Duration.ofSeconds(2));
        assertThat(describe(arn).lastStatus()).isEqualTo("STOPPED");
        clock.advance(Duration.ofHours(1).minusSeconds(1)); // stopped exactly an hour ago: still there
        assertThat(describe(arn).lastStatus()).isEqualTo("STOPPED");
        clock.advance(Duration.ofMillis(1));
        DescribeTasksResponse forgotten =
                ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arn));
        assertThat(forgotten.tasks()).isEmpty();
        assertThat(forgotten.failures()).extracting(f -> f.reason()).containsExactly("MISSING");
        assertThat(sim.describeBatchSizes()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void describeTasksAcceptsIdsAndIncludesTagsOnlyWhenAsked() {
        Task launched = runTask(r -> r.tags(Tag.builder().key("run").value("42").build()), Map.of())
                .tasks()
                .get(0);
        String id = launched.taskArn().substring(launched.taskArn().lastIndexOf('/') + 1);

        assertThat(ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(id))
                        .tasks()
                        .get(0)
                        .tags())
                .isEmpty();
        assertThat(ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(id).include(TaskField.TAGS))
                        .tasks()
                        .get(0)
                        .tags())
                .containsExactly(Tag.builder().key("run").value("42").build());
        assertThat(sim.task(id).orElseThrow().tags()).containsEntry("run", "42");
    }

    @Test
    void describeTaskDefinitionReturnsTheAwslogsOptions() {
        TaskDefinition latest =
                ecs.describeTaskDefinition(r -> r.taskDefinition("job")).taskDefinition();
        TaskDefinition first = ecs.describeTaskDefinition(
                        r -> r.taskDefinition("arn:aws:ecs:us-east-1:123456789012:task-definition/job:1"))
                .taskDefinition();

        assertThat(latest.revision()).isEqualTo(3);
        assertThat(latest.taskDefinitionArn()).endsWith(":task-definition/job:3");
        ContainerDefinition main = latest.containerDefinitions().get(0);
        assertThat(main.name()).isEqualTo("main");
        assertThat(main.essential()).isTrue();
        assertThat(main.stopTimeout()).isEqualTo(30);
        assertThat(main.logConfiguration().logDriver()).isEqualTo(LogDriver.AWSLOGS);
        assertThat(main.logConfiguration().options()).isEqualTo(LOG_OPTIONS);
        assertThat(first.containerDefinitions().get(0).stopTimeout()).isNull();
        assertThat(first.containerDefinitions().get(0).logConfiguration().options())
                .containsEntry("awslogs-group", "/ecs/job");
    }

    @Test
    void stateChangeEventsLookLikeEventBridgeDeliversThem() {
        sim.setPending(Duration.ofSeconds(5));
        String arn = runTask(Map.of("SIM_RUN_MS", "1000", "SIM_EXIT_CODE", "3"))
                .tasks()
                .get(0)
                .taskArn();
        assertThat(sim.stateChangeEvents(arn)).hasSize(2); // PROVISIONING and PENDING so far
        clock.advance(Duration.ofSeconds(6));

        List<JsonNode> events = sim.stateChangeEvents(arn).stream()
                .map(SimJson.MAPPER::readTree)
                .toList();

        assertThat(events).hasSize(4).allSatisfy(event -> {
            assertThat(event.path("detail-type").asString()).isEqualTo("ECS Task State Change");
            assertThat(event.path("source").asString()).isEqualTo("aws.ecs");
            assertThat(event.path("resources").path(0).asString()).isEqualTo(arn);
            assertThat(event.path("detail").path("taskArn").asString()).isEqualTo(arn);
            assertThat(event.path("detail").path("createdAt").asString()).isEqualTo("2026-11-23T12:00:00.000Z");
        });
        assertThat(events)
                .extracting(e -> e.path("detail").path("version").asInt())
                .containsExactly(1, 2, 3, 4);
        assertThat(events)
                .extracting(e -> e.path("detail").path("lastStatus").asString())
                .containsExactly("PROVISIONING", "PENDING", "RUNNING", "STOPPED");
        JsonNode stopped = events.get(3).path("detail");
        assertThat(stopped.path("updatedAt").asString()).isEqualTo("2026-11-23T12:00:06.000Z");
        assertThat(stopped.path("desiredStatus").asString()).isEqualTo("STOPPED");
        assertThat(stopped.path("containers").path(0).path("exitCode").asInt()).isEqualTo(3);
        assertThat(events.get(2).path("detail").has("stoppedAt")).isFalse();
    }

    @Test
    void asyncClientWorksToo() {
        try (EcsAsyncClient async = EcsAsyncClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            RunTaskResponse response =
                    async.runTask(r -> r.cluster(CLUSTER).taskDefinition("job")).join();

            assertThat(response.tasks()).hasSize(1);
            assertThat(sim.launched()).isEqualTo(1);
        }
    }

    @Test
    void concurrentCallersAllGetAnswers() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> arns = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                arns.add(callers.submit(() -> {
                    String arn = runTask(Map.of("SIM_RUN_MS", "60000"))
                            .tasks()
                            .get(0)
                            .taskArn();
                    return describe(arn).taskArn();
                }));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> arn : arns) {
                distinct.add(arn.get());
            }
            assertThat(distinct).hasSize(300);
            assertThat(sim.launched()).isEqualTo(300);
            assertThat(sim.describeBatchSizes()).hasSize(300);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void responsesCanBeSlowAndUnknownActionsAreRejected() throws Exception {
        sim.setResponseDelay(Duration.ofMillis(300));
        long started = System.nanoTime();
        ecs.listTasks(r -> r.cluster(CLUSTER));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        sim.setResponseDelay(Duration.ZERO);

        HttpResponse<String> unknown = post("CreateCluster", "{}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(SimJson.MAPPER.readTree(unknown.body()).path("__type").asString())
                .isEqualTo("UnknownOperationException");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private RunTaskResponse runTask(Map<String, String> env) {
        return runTask(r -> {}, env);
    }

    /** A FARGATE RunTask of "job" on the test cluster, started by "batchgate", with these env overrides. */
    private RunTaskResponse runTask(
            java.util.function.Consumer<RunTaskRequest.Builder> customizer, Map<String, String> env) {
        List<KeyValuePair> environment = env.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> KeyValuePair.builder()
                        .name(e.getKey())
                        .value(e.getValue())
                        .build())
                .toList();
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(CLUSTER)
                .taskDefinition("job")
                .launchType(LaunchType.FARGATE)
                .startedBy("batchgate")
                .overrides(TaskOverride.builder()
                        .containerOverrides(ContainerOverride.builder()
                                .name("main")
                                .environment(environment)
                                .build())
                        .build());
        customizer.accept(request);
        return ecs.runTask(request.build());
    }

    private Task describe(String arn) {
        DescribeTasksResponse response =
                ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arn));
        assertThat(response.failures()).isEmpty();
        return response.tasks().get(0);
    }

    private HttpResponse<String> post(String action, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.endpoint() + "/"))
                .header("X-Amz-Target", EcsSimulator.TARGET_PREFIX + action)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
