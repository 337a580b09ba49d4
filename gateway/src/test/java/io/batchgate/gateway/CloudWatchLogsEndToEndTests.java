package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * CloudWatch Logs on, against the simulators: local output is forwarded with PutLogEvents and
 * served back from CloudWatch; an ECS attempt's awslogs stream is found from its task definition.
 */
@Tag("sql")
class CloudWatchLogsEndToEndTests {

    private static Path dataDir;
    private static EcsSimulator ecs;
    private static CloudWatchLogsSimulator cloudWatch;
    private static ConfigurableApplicationContext context;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        TestDatabases.assumeSelectedDatabase();
        dataDir = Files.createTempDirectory("batchgate-cwl-");
        ecs = EcsSimulator.start()
                .addCluster("batch")
                .registerTaskDefinition("nightly", 1, List.of("app"))
                .registerTaskDefinition(
                        "blocking",
                        1,
                        List.of("app"),
                        Map.of("awslogs-group", "/ecs/blocking", "awslogs-stream-prefix", "ecs", "mode", "blocking"),
                        null);
        cloudWatch = CloudWatchLogsSimulator.start();
        Path catalog = GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog"));
        Files.writeString(catalog.resolve("zz-ecs-logged.yaml"), """
                jobs:
                  ecs-logged:
                    runtime: ecs
                    ecs: { cluster: batch, taskDefinition: "nightly:1", container: app }
                  ecs-blocking:
                    runtime: ecs
                    ecs: { cluster: batch, taskDefinition: "blocking:1", container: app }
                  secret-printer:
                    local: { command: ["sh", "-c", "echo \\"token=$TOKEN\\"; echo \\"twice $TOKEN$TOKEN, short $PIN\\""] }
                    params:
                      TOKEN: { type: string, secret: true, required: true }
                      PIN: { type: string, secret: true, required: true }
                """);
        List<String> args = new ArrayList<>(TestDatabases.selectedDatabaseArguments(dataDir));
        args.addAll(List.of(
                "--server.port=0",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog,
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.runtime.ecs.enabled=true",
                "--batchgate.runtime.ecs.endpoint=" + ecs.endpoint(),
                "--batchgate.runtime.ecs.track-interval=100ms",
                "--batchgate.logs.cloudwatch.enabled=true",
                "--batchgate.logs.cloudwatch.endpoint=" + cloudWatch.endpoint(),
                "--batchgate.logs.cloudwatch.settle=200ms",
                "--batchgate.logs.cloudwatch.drain-interval=100ms",
                "--batchgate.logs.cloudwatch.forward-interval=100ms",
                "--batchgate.queue.relay-interval=100ms",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        context = new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
        api = new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (ecs != null) {
            ecs.close();
        }
        if (dataDir != null) {
            JobProcesses.killAllAndDelete(dataDir);
        }
    }

    @Test
    void localOutputIsForwardedWholeAndServedBackFromCloudWatch() throws Exception {
        String runId = api.trigger("chatty", Map.of());
        JsonNode run = await().atMost(Duration.ofSeconds(60))
                .until(() -> api.run(runId), r -> r.get("logComplete").asBoolean());
        JsonNode attempt = run.get("attempts").get(0);
        assertThat(attempt.get("logGroup").asString()).isEqualTo("/batchgate/runs");
        assertThat(attempt.get("logStream").asString()).isEqualTo(runId + "/attempt-1");
        List<String> written =
                IntStream.rangeClosed(1, 50_000).mapToObj(i -> "line " + i).toList();
        assertThat(cloudWatch.messages("/batchgate/runs", runId + "/attempt-1")).isEqualTo(written);
        assertThat(cloudWatch.rejectedPuts()).isZero();

        // without this machine's file, the endpoint reads the attempt from CloudWatch
        Files.delete(dataDir.resolve("runs").resolve(runId).resolve("attempt-1").resolve("output.log"));
        List<String> served = api.logs(runId).lines().toList();
        assertThat(served.stream().filter(line -> !line.startsWith("── ")).toList())
                .isEqualTo(written);
    }

    /**
     * The job's own output is scrubbed of the secret values it was given before it is forwarded to
     * CloudWatch and when it is served back from there; a value shorter than 4 characters is left.
     */
    @Test
    void secretValuesInLocalOutputAreMaskedInWhatIsForwardedAndServed() throws Exception {
        String runId = api.trigger("secret-printer", Map.of("TOKEN", "tok-5ecret-99", "PIN", "ab"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.run(runId), r -> r.get("logComplete").asBoolean());
        assertThat(cloudWatch.messages("/batchgate/runs", runId + "/attempt-1"))
                .containsExactly("token=******", "twice ******, short ab");

        Files.delete(dataDir.resolve("runs").resolve(runId).resolve("attempt-1").resolve("output.log"));
        assertThat(api.logs(runId)).contains("token=******").doesNotContain("tok-5ecret-99");
    }

    @Test
    void anEcsAttemptsAwslogsStreamIsRecordedAndServed() {
        String runId = api.trigger("ecs-logged", Map.of());
        JsonNode run = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.run(runId),
                        r -> !r.get("attempts").isEmpty()
                                && !r.get("attempts").get(0).get("logStream").isNull());
        JsonNode attempt = run.get("attempts").get(0);
        String taskArn = attempt.get("taskHandle").asString();
        String stream = "ecs/app/" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
        assertThat(attempt.get("logGroup").asString()).isEqualTo("/ecs/nightly");
        assertThat(attempt.get("logStream").asString()).isEqualTo(stream);
        // the simulator's task definition leaves the awslogs mode at its non-blocking default
        assertThat(attempt.get("logWarning").asString()).contains("non-blocking");

        cloudWatch.emit("/ecs/nightly", stream, Instant.now(), List.of("from the container"));
        JsonNode finished = api.awaitFinal(runId);
        assertThat(finished.get("logComplete").asBoolean()).isFalse();
        assertThat(api.logs(runId))
                .contains("── attempt 1 (ecs) ──\n── attempt 1 warning: awslogs mode is non-blocking")
                .contains("from the container\n── attempt 1 ended: exit 0 ──\n");
    }

    @Test
    void anEcsAttemptWithBlockingAwslogsIsDrainedAndMarkedCompleteWithoutAReader() {
        String runId = api.trigger("ecs-blocking", Map.of());
        JsonNode run = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.run(runId),
                        r -> !r.get("attempts").isEmpty()
                                && !r.get("attempts").get(0).get("logStream").isNull());
        JsonNode attempt = run.get("attempts").get(0);
        assertThat(attempt.hasNonNull("logWarning")).isFalse();
        cloudWatch.emit("/ecs/blocking", attempt.get("logStream").asString(), Instant.now(), List.of("all of it"));

        // nobody reads the log: the background final drain marks it complete
        JsonNode finished = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.run(runId), r -> r.get("logComplete").asBoolean());
        assertThat(api.logs(runId)).contains("all of it\n── attempt 1 ended: exit 0 ──\n");
    }

    @Test
    void batchgatesOwnMessagesAboutARunGoToItsOwnStream() {
        String runId = api.trigger("ecs-logged", Map.of());
        JsonNode finished = api.awaitFinal(runId);
        int transitions = finished.get("timeline").size();
        List<String> messages = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> cloudWatch.messages("/batchgate/runs", runId + "/batchgate"),
                        m -> m.size() == transitions);
        assertThat(messages.get(0)).startsWith("QUEUED");
        assertThat(messages.get(transitions - 1))
                .startsWith("attempt 1: RUNNING → " + finished.get("status").asString());
    }
}
