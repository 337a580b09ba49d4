package io.batchgate.runner.runtime.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.catalog.JdbcCatalogVersions;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.AttemptLogs;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.ecs.sim.EcsSimulator;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.ecs.sim.SharedNettyClient;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ECS attempt's CloudWatch stream is found from the definition its run was accepted with, also
 * after a reload removed or re-pointed the job (simulator over the wire, H2 and MariaDB).
 */
@Tag("sql")
class EcsLogStreamsTests {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private EcsSimulator sim;
    private EcsAsyncClient ecs;
    private JdbcClient jdbc;
    private CurrentCatalog catalog;

    @RegisterExtension
    static final SharedNettyClient HTTP = new SharedNettyClient();

    @BeforeEach
    void setUp() throws Exception {
        sim = EcsSimulator.start(clock)
                .addCluster("batch")
                .registerTaskDefinition("old-task", 1, List.of("app"))
                .registerTaskDefinition("new-task", 1, List.of("app"));
        ecs = sim.client(HTTP.get());
        jdbc = JdbcClient.create(TestDatabases.migrated(TestDatabases.newSelectedDatabase()));
        Files.createDirectories(dir.resolve("catalog"));
        writeCatalog("old-task:1");
        catalog = new CurrentCatalog(
                dir.resolve("catalog"),
                new CatalogLoader(),
                new JdbcCatalogVersions(jdbc),
                clock,
                new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() {
        ecs.close();
        sim.close();
    }

    private void writeCatalog(String taskDefinition) throws Exception {
        Files.writeString(dir.resolve("catalog/jobs.yaml"), """
                jobs:
                  export:
                    ecs: { cluster: batch, taskDefinition: "%s", container: app }
                """.formatted(taskDefinition));
    }

    @Test
    void theStreamComesFromTheDefinitionTheRunWasAcceptedWith() throws Exception {
        RunLedger ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        Run run = Run.accept(
                RunId.next(clock.millis(), new Random()),
                "export",
                catalog.get().version(),
                Map.of(),
                Set.of(),
                "test",
                null,
                clock.instant());
        ledger.insert(run);
        Run started = ledger.get(run.id());
        started.claim("ecs", clock.instant());
        started.started(new TaskHandle("ecs", "arn:aws:ecs:us-east-1:123456789012:task/batch/abc123"), clock.instant());
        ledger.update(started);

        writeCatalog("new-task:1"); // the job now points at another task definition
        assertThat(catalog.reload()).isInstanceOf(CurrentCatalog.Reload.Swapped.class);

        new EcsLogStreams(ecs, catalog, new AttemptLogs(jdbc), clock).run();

        assertThat(jdbc.sql("SELECT log_group, log_stream FROM bg_attempt WHERE run_id = :id")
                        .param("id", run.id().value())
                        .query()
                        .singleRow())
                .containsEntry("log_group", "/ecs/old-task")
                .containsEntry("log_stream", "ecs/app/abc123");
    }
}
