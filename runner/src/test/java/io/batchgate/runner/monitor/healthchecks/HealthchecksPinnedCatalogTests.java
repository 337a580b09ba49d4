package io.batchgate.runner.monitor.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.catalog.JdbcCatalogVersions;
import io.batchgate.runner.ledger.RunEventDispatcher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.LocalLogFiles;
import io.batchgate.runner.logs.LogSources;
import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.monitor.MonitorProperties;
import io.batchgate.runner.monitor.RunHeartbeats;
import io.batchgate.runner.monitor.RunLogTail;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Answer;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Heartbeats and checks follow catalog reloads: a run pings the check of the definition it was
 * accepted with, also after a reload removed its job, and a reload provisions the checks of the
 * jobs it added. Catalog versions stored on H2 and MariaDB; pings and the Management API over a
 * real HTTP server.
 */
@Tag("sql")
class HealthchecksPinnedCatalogTests {

    private static final String PING = "/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";

    @TempDir
    Path dir;

    private final RecordingHealthchecks server = new RecordingHealthchecks();
    private final MutableClock clock = MutableClock.fixed();
    private final Random random = new Random();
    private DataSource dataSource;
    private CurrentCatalog catalog;
    private CheckProvisioning provisioning;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        Files.createDirectories(dir.resolve("catalog"));
        writeCatalog("""
                jobs:
                  billing:
                    local: { command: [x] }
                    monitor: { url: "%s%s" }
                  hourly:
                    local: { command: [x] }
                    monitor: { slug: hourly }
                """.formatted(server.baseUrl(), PING));
        catalog = new CurrentCatalog(
                dir.resolve("catalog"),
                new CatalogLoader(),
                new JdbcCatalogVersions(JdbcClient.create(dataSource)),
                clock,
                new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() {
        if (provisioning != null) {
            provisioning.stop();
        }
        server.close();
    }

    private void writeCatalog(String yaml) throws Exception {
        Files.writeString(dir.resolve("catalog/jobs.yaml"), yaml);
    }

    private MonitorProperties properties(MonitorProperties.Management management) {
        return new MonitorProperties(
                true,
                URI.create(server.baseUrl() + "/"),
                "ping-key-1",
                Duration.ofSeconds(5),
                null,
                3,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                0,
                management,
                null);
    }

    @Test
    void aJobRemovedByAReloadStillSendsTheFinalPingOfItsAcceptedRun() throws Exception {
        MonitorProperties properties = properties(null);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        PingOutbox outbox = new PingOutbox(jdbc);
        PingMetrics metrics = new PingMetrics(new SimpleMeterRegistry(), "job");
        HealthchecksMonitor monitor =
                new HealthchecksMonitor(outbox, new PingUrls(properties), catalog, metrics, clock);
        RunLedger ledger = new RunLedger(
                jdbc, JsonMapper.builder().build(), new RunEventDispatcher(List.of(new RunHeartbeats(monitor))));
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        AttemptDirectories directories = new AttemptDirectories(dir);
        HealthchecksPinger pinger = new HealthchecksPinger(
                outbox,
                new RunLogTail(
                        new RunLogs(ledger, new LogSources(new LocalLogFiles(directories), Optional.empty()), clock)),
                new PingBodyLimits(properties.defaultBodyLimit()),
                metrics,
                properties,
                HealthchecksConfiguration.httpClient(properties),
                clock);

        JobDefinition billing = catalog.get().job("billing").orElseThrow();
        Run accepted = Run.accept(
                RunId.next(clock.millis(), random),
                "billing",
                catalog.get().version(),
                Map.of(),
                Set.of(),
                "test",
                null,
                clock.instant());
        tx.executeWithoutResult(s -> ledger.insert(accepted));
        RunId id = accepted.id();
        Consumer<Consumer<Run>> change = transition -> tx.executeWithoutResult(s -> {
            Run run = ledger.get(id);
            transition.accept(run);
            ledger.update(run);
        });
        change.accept(run -> run.claim("local", clock.instant()));
        change.accept(run -> run.started(new TaskHandle("local", "1@1"), clock.instant()));

        writeCatalog("""
                jobs:
                  hourly:
                    local: { command: [x] }
                    monitor: { slug: hourly }
                """);
        assertThat(catalog.reload()).isInstanceOf(CurrentCatalog.Reload.Swapped.class);
        assertThat(catalog.get().job("billing")).isEmpty();

        change.accept(run -> run.finished(
                TaskExit.code(0), billing.exitCodes(), billing.retry(), n -> Duration.ZERO, clock.instant()));
        pinger.drain();

        assertThat(server.pathsAndQueries()).hasSize(2).first().asString().startsWith(PING + "/start?rid=");
        assertThat(server.pathsAndQueries().get(1)).startsWith(PING + "?rid=");
        assertThat(server.received().get(1).text())
                .startsWith("batchgate run " + id + " of billing attempt 1 SUCCEEDED");
    }

    @Test
    void aReloadProvisionsTheChecksOfTheJobsItAddedOrChanged() throws Exception {
        server.answer(Answer.ok());
        MonitorProperties properties = properties(new MonitorProperties.Management(
                true, URI.create(server.baseUrl() + "/"), "api-key-1", null, null, null));
        provisioning = new CheckProvisioning(
                new HealthchecksChecks(
                        properties,
                        HealthchecksConfiguration.httpClient(properties),
                        JsonMapper.builder().build()),
                catalog);
        provisioning.start();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(provisioning.lastReport()).isPresent());
        assertThat(provisioning.lastReport().orElseThrow().updated()).containsExactly("hourly");
        server.reset();
        server.answer(Answer.ok());

        writeCatalog("""
                jobs:
                  billing:
                    local: { command: [x] }
                    monitor: { url: "%s%s" }
                  hourly:
                    local: { command: [x] }
                    monitor: { slug: hourly }
                  nightly:
                    local: { command: [x] }
                    monitor: { slug: nightly, period: 1d }
                """.formatted(server.baseUrl(), PING));
        assertThat(catalog.reload()).isInstanceOf(CurrentCatalog.Reload.Swapped.class);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        provisioning.lastReport().orElseThrow().updated())
                .containsExactly("nightly"));
        assertThat(server.received())
                .as("the unchanged check of hourly is not sent again")
                .singleElement()
                .satisfies(request -> assertThat(request.text()).contains("\"slug\":\"nightly\""));
    }
}
