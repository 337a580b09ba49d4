package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
}
