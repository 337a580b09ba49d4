package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.Release01;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The application started on a database release 0.1 left behind upgrades it at start-up (its own
 * Liquibase run, not a test's) and serves the old runs over the API as it serves its own; a run 0.1
 * accepted but never launched is launched and finishes. SchemaUpgradeContractTests covers the rows
 * in detail; this is the path a replica of the new release takes.
 */
@Tag("sql")
class UpgradeOnStartTests {

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

    @Test
    void aRelease01DatabaseIsUpgradedAtStartUpAndItsRunsAreServed() throws Exception {
        List<String> database = TestDatabases.selectedDatabaseArguments(dataDir);
        // on H2 the application's own default: the file database under its data directory
        String url = database.isEmpty()
                ? "jdbc:h2:file:" + dataDir.resolve("db").resolve("batchgate")
                : database.get(0).substring("--spring.datasource.url=".length());
        Release01 old = Release01.schema(TestDatabases.dataSource(url));
        RunId succeeded = old.run("hello", RunStatus.SUCCEEDED, 0, "{\"GREETING\":\"Hi\"}", "", null);
        old.attempt(succeeded, 1, AttemptOutcome.EXITED, 0, BatchStatus.COMPLETED);
        old.timeline(succeeded, RunStatus.SUCCEEDED);
        RunId failed = old.run("exit-with", RunStatus.FAILED, 3, "{\"CODE\":\"3\"}", "", null);
        old.attempt(failed, 1, AttemptOutcome.EXITED, 3, BatchStatus.FAILED);
        old.attempt(failed, 2, AttemptOutcome.EXITED, 3, BatchStatus.FAILED);
        old.timeline(
                failed,
                RunStatus.RETRY_WAIT,
                RunStatus.QUEUED,
                RunStatus.LAUNCHING,
                RunStatus.RUNNING,
                RunStatus.FAILED);
        RunId queued = old.run("hello", RunStatus.QUEUED, null, "{\"GREETING\":\"Hey\"}", "", null);
        old.timeline(queued);
        old.outbox(queued, Release01.T0);

        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir="
                        + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                "--batchgate.queue.relay-interval=100ms",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        args.addAll(database);
        try (ConfigurableApplicationContext context =
                new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new))) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) context).getWebServer().getPort());

            JsonNode done = api.run(succeeded.value());
            assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("exitCode").asInt()).isZero();
            assertThat(done.get("source").asString()).isEqualTo("api");
            assertThat(done.get("requestedBy").asString()).isEqualTo("scheduler");
            assertThat(done.get("params").get("GREETING").asString()).isEqualTo("Hi");
            assertThat(done.get("attempts")).hasSize(1);
            assertThat(done.get("attempts").get(0).get("jobExecutionId").isNumber())
                    .isTrue();
            assertThat(done.get("timeline")).hasSize(4);

            JsonNode failedRun = api.run(failed.value());
            assertThat(failedRun.get("status").asString()).isEqualTo("FAILED");
            assertThat(failedRun.get("attempts"))
                    .extracting(a -> a.get("exitCode").asInt())
                    .containsExactly(3, 3);

            List<String> history = new ArrayList<>();
            api.json(api.get("/api/v1/runs"))
                    .get("runs")
                    .forEach(run -> history.add(run.get("runId").asString()));
            assertThat(history).containsExactly(queued.value(), failed.value(), succeeded.value());

            JsonNode launched = api.awaitFinal(queued.value());
            assertThat(launched.get("status").asString())
                    .as("the run 0.1 queued is launched by this release")
                    .isEqualTo("SUCCEEDED");
            assertThat(api.logs(queued.value())).contains("Hey, world!");
        }
    }
}
