package io.batchgate.runner.monitor.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.runner.monitor.MonitorProperties;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Answer;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Received;
import io.batchgate.runner.testing.TestCatalogs;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Monitors as code over the Management API v3, and batchgate's own heartbeat, against a real HTTP server. */
@Tag("sql")
class HealthchecksChecksTests {

    private final RecordingHealthchecks server = new RecordingHealthchecks();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        server.close();
    }

    private HealthchecksChecks checks(String channels) {
        MonitorProperties properties = new MonitorProperties(
                true,
                null,
                "ping-key-1",
                Duration.ofSeconds(5),
                null,
                0,
                null,
                null,
                null,
                0,
                new MonitorProperties.Management(
                        true, URI.create(server.baseUrl() + "/"), "api-key-1", null, null, channels),
                null);
        return new HealthchecksChecks(properties, HealthchecksConfiguration.httpClient(properties), json);
    }

    private static Path sampleCatalog() {
        Path fromModule = Path.of("../job-catalog/sample");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("job-catalog/sample");
    }

    @Test
    void upsertsTheSampleCatalogsCheckWithTheExpectedJson() {
        server.answer(new Answer(201, java.util.Map.of(), Duration.ZERO, "{\"ping_url\":\"x\"}"));
        Catalog sample = new CatalogLoader().load(sampleCatalog());

        HealthchecksChecks.Report report = checks(null).provision(sample);

        assertThat(report.created()).containsExactly("nightly-billing");
        assertThat(report.updated()).isEmpty();
        assertThat(report.failed()).isEmpty();
        assertThat(server.received()).hasSize(1);
        Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.pathAndQuery()).isEqualTo("/api/v3/checks/");
        assertThat(request.header("X-Api-Key")).isEqualTo("api-key-1");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        // grace: the run timeout 2h + the default stop grace 30s + the 10m margin = 7830 s
        assertThat(json.readTree(request.body())).isEqualTo(json.readTree("""
                {"name": "nightly-billing",
                 "slug": "nightly-billing",
                 "tags": "billing prod",
                 "desc": "Exports the day's billing records to the data warehouse.",
                 "schedule": "30 1 * * 2-6",
                 "tz": "Asia/Tokyo",
                 "grace": 7830,
                 "unique": ["slug"]}
                """));
    }

    @Test
    void reportsCreatedUpdatedSkippedAndFailedAndSendsPeriodsAndChannels() throws IOException {
        Catalog catalog = TestCatalogs.load(dir, """
                jobs:
                  hourly:
                    description: Every hour.
                    local: { command: [x] }
                    monitor: { slug: hourly, period: 1h, grace: 5m }
                  no-timeout:
                    local: { command: [x] }
                    monitor: { slug: no-timeout }
                  by-url:
                    local: { command: [x] }
                    monitor: { url: "https://hc-ping.com/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278" }
                  unmonitored:
                    local: { command: [x] }
                """);
        server.answer(Answer.ok());

        HealthchecksChecks.Report report = checks("*").provision(catalog);

        assertThat(report.updated()).containsExactly("hourly", "no-timeout");
        assertThat(report.skipped()).containsExactly("by-url");
        List<JsonNode> bodies =
                server.received().stream().map(r -> json.readTree(r.body())).toList();
        assertThat(bodies.get(0)).isEqualTo(json.readTree("""
                {"name": "hourly", "slug": "hourly", "tags": "", "desc": "Every hour.", "timeout": 3600,
                 "grace": 300, "channels": "*", "unique": ["slug"]}
                """));
        assertThat(bodies.get(1).get("grace").asLong()).as("the default grace").isEqualTo(3600);
        assertThat(bodies.get(1).has("timeout")).isFalse();

        server.answer(Answer.status(400));
        assertThat(checks(null).provision(catalog).failed())
                .containsExactly("hourly (HTTP 400)", "no-timeout (HTTP 400)");
    }

    @Test
    void ownHeartbeatPingsWhileTheDatabaseAnswersAndFailsWhenItDoesNot() {
        DataSource database = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MonitorProperties properties = MonitorProperties.defaults();
        URI url = URI.create(server.baseUrl() + "/ping/self-check");

        SelfHeartbeat up = new SelfHeartbeat(
                url,
                JdbcClient.create(database),
                HealthchecksConfiguration.httpClient(properties),
                Duration.ofSeconds(5),
                new PingMetrics(meters, "self"));
        assertThat(up.beat()).isEqualTo(200);

        SelfHeartbeat databaseDown = new SelfHeartbeat(
                url,
                JdbcClient.create(new DriverManagerDataSource("jdbc:h2:tcp://127.0.0.1:1/nothing-here")),
                HealthchecksConfiguration.httpClient(properties),
                Duration.ofSeconds(5),
                new PingMetrics(meters, "self"));
        assertThat(databaseDown.beat()).isEqualTo(200);

        assertThat(server.pathsAndQueries()).containsExactly("/ping/self-check", "/ping/self-check/fail");
        assertThat(server.received().get(1).text()).startsWith("batchgate: the database does not answer");
        assertThat(meters.counter("batchgate.monitor.pings", "source", "self", "outcome", "sent")
                        .count())
                .isEqualTo(2);
    }
}
