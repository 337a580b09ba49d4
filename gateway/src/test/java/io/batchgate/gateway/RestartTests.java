package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Stops and starts the application on the same H2 file database and data directory: finished runs
 * survive, a run still QUEUED at the stop runs after the start, and a process that was running
 * is taken back — it finishes once, and is not started again.
 */
@Tag("sql")
class RestartTests {

    @TempDir
    Path dataDir;

    @AfterEach
    void killJobsLeftRunning() {
        JobProcesses.killAll(dataDir);
    }

    private ConfigurableApplicationContext start(boolean runner) {
        List<String> args = new ArrayList<>(TestDatabases.selectedDatabaseArguments(dataDir));
        args.addAll(List.of(
                "--server.port=0",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir="
                        + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.auth.trigger-rate.per-second=100000",
                "--batchgate.auth.trigger-rate.burst=100000",
                "--batchgate.runner.enabled=" + runner,
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        return new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new));
    }

    private static ApiClient api(ConfigurableApplicationContext context) {
        return new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void runsSurviveARestartAndQueuedOrRunningOnesComplete() throws Exception {
        Path countFile = Files.createFile(dataDir.resolve("count.txt"));
        String finished;
        String running;
        String queued;
        try (ConfigurableApplicationContext first = start(true)) {
            ApiClient api = api(first);
            finished = api.trigger("hello", Map.of("GREETING", "Before"));
            assertThat(api.awaitFinal(finished).get("status").asString()).isEqualTo("SUCCEEDED");
            running = api.trigger("count", Map.of("COUNT_FILE", countFile.toString(), "SECONDS", "3"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.run(running).get("status").asString(), "RUNNING"::equals);
        }
        try (ConfigurableApplicationContext gatewayOnly = start(false)) {
            queued = api(gatewayOnly).trigger("hello", Map.of("GREETING", "Queued"));
            assertThat(api(gatewayOnly).run(queued).get("status").asString()).isEqualTo("QUEUED");
        }
        // the taken-back process ended while no runner was up: its end is its own, not the take-over's
        Path exitFile =
                dataDir.resolve("runs").resolve(running).resolve("attempt-1").resolve("exit-code");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(exitFile));
        Instant processEnded = Files.getLastModifiedTime(exitFile).toInstant();
        Instant restarted = Instant.now();
        try (ConfigurableApplicationContext again = start(true)) {
            ApiClient api = api(again);
            JsonNode before = api.run(finished);
            assertThat(before.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(api.logs(finished)).contains("Before");

            JsonNode queuedRun = api.awaitFinal(queued);
            assertThat(queuedRun.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(api.logs(queued)).contains("Queued");

            JsonNode runningRun = api.awaitFinal(running);
            assertThat(runningRun.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(runningRun.get("attempts")).hasSize(1);
            assertThat(Files.readAllLines(countFile)).containsExactly("started");
            assertThat(api.logs(running)).contains("done");
            Instant finishedAt = Instant.parse(runningRun.get("finishedAt").asString());
            assertThat(finishedAt).isBefore(restarted).isCloseTo(processEnded, within(5, ChronoUnit.MILLIS));
            assertThat(Instant.parse(
                            runningRun.get("attempts").get(0).get("finishedAt").asString()))
                    .isEqualTo(finishedAt);
        }
    }
}
