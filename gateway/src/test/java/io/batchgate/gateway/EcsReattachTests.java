package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.run.RunId;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A runner stops while ECS tasks run, and one attempt is caught after RunTask returned but before
 * its task ARN was stored. A new runner on the same database takes every attempt back: each run
 * completes, and the simulator saw exactly one task per attempt.
 */
@Tag("sql")
class EcsReattachTests {

    @TempDir
    Path dataDir;

    private final EcsSimulator sim = EcsTestSupport.simulator();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>(EcsTestSupport.arguments(sim, dataDir));
        args.add("--server.port=0");
        // a half-launched attempt is taken over once its launch lease has run out
        args.add("--batchgate.runner.launch-lease=2s");
        args.add("--batchgate.runner.adoption-interval=300ms");
        return new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
    }

    private static ApiClient api(ConfigurableApplicationContext context) {
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void aRestartedRunnerTakesBackRunningAndHalfLaunchedTasksWithoutLaunchingTwice() {
        List<String> running = new ArrayList<>();
        RunId halfLaunched;
        try (ConfigurableApplicationContext first = start()) {
            ApiClient api = api(first);
            for (int i = 0; i < 20; i++) {
                running.add(api.trigger("sim", Map.of("SIM_RUN_MS", "4000", "SIM_EXIT_CODE", Integer.toString(i % 2))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> running.stream()
                    .allMatch(id -> "RUNNING".equals(api.run(id).get("status").asString())));
            halfLaunched = EcsTestSupport.launchWithoutRecordingTheTask(first);
        }
        assertThat(sim.launched()).isEqualTo(21);

        try (ConfigurableApplicationContext second = start()) {
            ApiClient api = api(second);
            for (String id : running) {
                JsonNode run = api.awaitFinal(id);
                int code = run.get("params").get("SIM_EXIT_CODE").asInt();
                assertThat(run.get("status").asString()).isEqualTo(code == 0 ? "SUCCEEDED" : "FAILED");
                assertThat(run.get("exitCode").asInt()).isEqualTo(code);
                assertThat(run.get("attempts")).hasSize(1);
                assertThat(sim.launchedWithStartedBy("batchgate/" + id + "/1")).isEqualTo(1);
            }
            JsonNode recovered = api.awaitFinal(halfLaunched.value());
            assertThat(recovered.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(recovered.get("attempts").get(0).get("taskHandle").asString())
                    .startsWith("ecs:arn:");
            assertThat(sim.launchedWithStartedBy("batchgate/" + halfLaunched + "/1"))
                    .isEqualTo(1);
        }
        assertThat(sim.launched()).isEqualTo(21);
    }
}
