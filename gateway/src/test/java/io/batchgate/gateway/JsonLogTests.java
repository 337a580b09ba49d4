package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code logging.structured.format.console} every console line is one JSON object, and the
 * lines written while the gateway and the runner work on a run (trigger, launch, the attempt's end
 * and its judgment) carry the run's id, job and attempt from the MDC as fields of their own.
 */
@Tag("sql")
@ExtendWith(OutputCaptureExtension.class)
class JsonLogTests {

    @TempDir
    Path dataDir;

    @BeforeAll
    static void selectedDatabaseIsThere() {
        TestDatabases.assumeSelectedDatabase();
    }

    @AfterEach
    void killJobs() {
        JobProcesses.killAll(dataDir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash"})
    void linesAboutARunAreJsonWithItsIdJobAndAttempt(String format, CapturedOutput output) {
        List<String> args = new ArrayList<>(List.of(
                "--logging.structured.format.console=" + format,
                // the trigger's own line is at debug level
                "--logging.level.io.batchgate.gateway.trigger=debug",
                "--server.port=0",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir="
                        + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        args.addAll(TestDatabases.selectedDatabaseArguments(dataDir));
        // Boot configures logging once per JVM until a context's logging is cleaned up: without this an
        // earlier context of the test JVM would keep its plain format
        LoggingSystem.get(getClass().getClassLoader()).cleanUp();
        String runId;
        try (ConfigurableApplicationContext context =
                new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new))) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());
            runId = api.trigger("hello", Map.of("GREETING", "Hi"));
            assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");
        }
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> lines = Stream.of(output.getOut().split("\n"))
                .filter(line -> line.startsWith("{"))
                .map(json::readTree)
                .toList();
        assertThat(lines).as("console lines in JSON").isNotEmpty();
        String logger = format.equals("ecs") ? "/log/logger" : "/logger_name";
        List<JsonNode> aboutTheRun = lines.stream()
                .filter(line -> runId.equals(line.path("runId").asString(null)))
                .toList();
        assertThat(aboutTheRun)
                .extracting(line -> line.at(logger).asString())
                .as("the trigger, the launch and the attempt's end name the run")
                .contains(
                        "io.batchgate.gateway.trigger.TriggerController",
                        "io.batchgate.runner.launch.RunLauncher",
                        "io.batchgate.runner.track.AttemptTracker");
        assertThat(aboutTheRun)
                .allSatisfy(line -> assertThat(line.path("job").asString(null)).isEqualTo("hello"));
        assertThat(aboutTheRun)
                .filteredOn(line -> !line.at(logger).asString().endsWith("TriggerController"))
                .allSatisfy(
                        line -> assertThat(line.path("attempt").asString(null)).isEqualTo("1"));
        assertThat(lines)
                .as("no line outside a run's work carries a run id")
                .filteredOn(line -> line.at("/message").asString("").startsWith("Started BatchgateApplication"))
                .allSatisfy(line -> assertThat(line.has("runId")).isFalse());
    }

    /**
     * A heartbeat the monitor refuses is given up with a line that carries the run's id and attempt
     * (the ping outbox keeps no job name, so a pinger's line has none).
     */
    @org.junit.jupiter.api.Test
    void aGivenUpHeartbeatIsAJsonLineWithTheRunsIdAndAttempt(CapturedOutput output) throws Exception {
        try (RecordingHealthchecks healthchecks = new RecordingHealthchecks()) {
            healthchecks.answer(RecordingHealthchecks.Answer.status(404));
            Path catalog = GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog"));
            java.nio.file.Files.writeString(
                    catalog.resolve("zz-monitored.yaml"), """
                    jobs:
                      monitored:
                        local:
                          command: ["sh", "-c", "exit 0"]
                        monitor: { url: "%s/ping/json-log-check" }
                    """.formatted(healthchecks.baseUrl()));
            List<String> args = new ArrayList<>(List.of(
                    "--logging.structured.format.console=ecs",
                    "--server.port=0",
                    "--batchgate.data-dir=" + dataDir,
                    "--batchgate.catalog.dir=" + catalog,
                    "--batchgate.auth.tokens[0].name=ci",
                    "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                    "--batchgate.auth.tokens[0].scopes=admin",
                    "--batchgate.monitor.enabled=true",
                    "--batchgate.monitor.interval=100ms",
                    // the sample catalog's slug monitors need a ping key
                    "--batchgate.monitor.ping-base-url=" + healthchecks.baseUrl(),
                    "--batchgate.monitor.ping-key=json-log-ping-key",
                    "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
            args.addAll(TestDatabases.selectedDatabaseArguments(dataDir));
            LoggingSystem.get(getClass().getClassLoader()).cleanUp();
            String runId;
            try (ConfigurableApplicationContext context =
                    new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new))) {
                ApiClient api = new ApiClient(
                        ((WebServerApplicationContext) context).getWebServer().getPort());
                runId = api.trigger("monitored", Map.of());
                assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(30))
                        .until(() -> output.getOut().contains("gave up the SUCCESS ping of run " + runId));
            }
            JsonMapper json = JsonMapper.builder().build();
            List<JsonNode> givenUp = Stream.of(output.getOut().split("\n"))
                    .filter(line -> line.startsWith("{"))
                    .map(json::readTree)
                    .filter(line -> line.at("/message").asString("").startsWith("gave up the"))
                    .filter(line -> line.at("/message").asString("").contains(runId))
                    .toList();
            assertThat(givenUp).isNotEmpty().allSatisfy(line -> {
                assertThat(line.at("/log/logger").asString())
                        .isEqualTo("io.batchgate.runner.monitor.healthchecks.HealthchecksPinger");
                assertThat(line.path("runId").asString(null)).isEqualTo(runId);
                assertThat(line.path("attempt").asString(null)).isEqualTo("1");
            });
        }
    }
}
