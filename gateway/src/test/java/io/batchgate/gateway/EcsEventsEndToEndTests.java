package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.runtime.ecs.sim.SimTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.JsonNode;

/**
 * ECS task state-change events delivered through SQS (as EventBridge does) end attempts while
 * polling is all but off — and duplicated, shuffled events give the same final record as
 * in-order ones.
 */
@Tag("sql")
class EcsEventsEndToEndTests {

    @TempDir
    Path dataDir;

    private final EcsSimulator sim = EcsTestSupport.simulator();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    @Test
    void outOfOrderAndDuplicatedEventsGiveTheSameFinalRecordAsInOrderOnes() {
        List<String> args = new ArrayList<>(EcsTestSupport.arguments(sim, dataDir));
        args.removeIf(arg -> arg.startsWith("--batchgate.runtime.ecs.track-interval="));
        args.addAll(List.of(
                "--server.port=0",
                "--batchgate.runtime.ecs.events-queue=ecs-events",
                "--batchgate.runtime.ecs.track-interval=1h"));
        try (ConfigurableApplicationContext context =
                new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new))) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            SqsAsyncClient sqs = context.getBean(SqsAsyncClient.class);
            String queueUrl =
                    sqs.getQueueUrl(r -> r.queueName("ecs-events")).join().queueUrl();

            String inOrder = api.trigger("sim", Map.of("SIM_EXIT_CODE", "3", "SIM_RUN_MS", "100"));
            String shuffled = api.trigger("sim", Map.of("SIM_EXIT_CODE", "3", "SIM_RUN_MS", "100"));
            List<String> inOrderEvents = stoppedTaskEvents(inOrder);
            List<String> messy = new ArrayList<>(stoppedTaskEvents(shuffled));
            messy.addAll(List.copyOf(messy));
            Collections.shuffle(messy, new Random(11));

            for (String event : inOrderEvents) {
                sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event)).join();
            }
            for (String event : messy) {
                sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event)).join();
            }
            JsonNode a = api.awaitFinal(inOrder);
            JsonNode b = api.awaitFinal(shuffled);
            for (String field : List.of("status", "exitCode", "warning", "reason")) {
                assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
            }
            assertThat(a.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(a.get("exitCode").asInt()).isEqualTo(3);
            assertThat(b.get("attempts").get(0).get("reason"))
                    .isEqualTo(a.get("attempts").get(0).get("reason"));
            assertThat(b.get("timeline")).hasSize(a.get("timeline").size());
            assertThat(sim.calls("DescribeTasks")).isZero();
        }
    }

    /** Waits until the run's task has stopped in the simulator and returns its events, in order. */
    private List<String> stoppedTaskEvents(String runId) {
        SimTask task = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> sim.tasks().stream()
                                .filter(t -> t.startedBy().equals("batchgate/" + runId + "/1"))
                                .filter(t -> "STOPPED".equals(t.lastStatus()))
                                .findFirst()
                                .orElse(null),
                        t -> t != null);
        return sim.stateChangeEvents(task.arn());
    }
}
