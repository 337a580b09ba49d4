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
 * Two runner replicas on one database. The first stops while its tasks run and one attempt is
 * caught between RunTask and recording its ARN; the second, already running (so no start-up
 * recovery helps), adopts both within its adoption interval and launch lease.
 */
@Tag("sql")
class EcsReplicaFailoverTests {

    @TempDir
    Path dataDir;

    private final EcsSimulator sim = EcsTestSupport.simulator();

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private ConfigurableApplicationContext replica() {
        List<String> args = new ArrayList<>(EcsTestSupport.arguments(sim, dataDir));
        args.addAll(List.of(
                "--server.port=0", "--batchgate.runner.adoption-interval=300ms", "--batchgate.runner.launch-lease=1s"));
        return new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void aLiveReplicaAdoptsTheTasksOfOneThatStopped() {
        try (ConfigurableApplicationContext survivor = replica()) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) survivor).getWebServer().getPort());
            String running;
            RunId halfLaunched;
            try (ConfigurableApplicationContext doomed = replica()) {
                ApiClient doomedApi = new ApiClient(
                        ((WebServerApplicationContext) doomed).getWebServer().getPort());
                running = doomedApi.trigger("sim", Map.of("SIM_RUN_MS", "3000", "SIM_EXIT_CODE", "3"));
                await().atMost(Duration.ofSeconds(20)).until(() -> "RUNNING"
                        .equals(api.run(running).get("status").asString()));
                halfLaunched = EcsTestSupport.launchWithoutRecordingTheTask(doomed);
            }
            JsonNode adopted = api.awaitFinal(running);
            assertThat(adopted.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(adopted.get("exitCode").asInt()).isEqualTo(3);
            JsonNode taken = api.awaitFinal(halfLaunched.value());
            assertThat(taken.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(sim.launchedWithStartedBy("batchgate/" + running + "/1")).isEqualTo(1);
            assertThat(sim.launchedWithStartedBy("batchgate/" + halfLaunched + "/1"))
                    .isEqualTo(1);
        }
    }
}
