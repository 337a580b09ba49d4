package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Received;
import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Heartbeats end to end: HTTP trigger → queue → local process → judged outcome → the ping outbox
 * → a real HTTP server standing in for Healthchecks; plus the checks provisioned at start-up and
 * batchgate's own heartbeat.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("sql")
class MonitorEndToEndTests {

    static final RecordingHealthchecks HEALTHCHECKS = new RecordingHealthchecks();
    static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("batchgate-monitor-it-");
            Path catalog = GatewayTestSupport.catalogWithSampleAndTestJobs(DATA_DIR.resolve("catalog"));
            Files.writeString(catalog.resolve("zz-monitored.yaml"), """
                    jobs:
                      monitored:
                        description: Prints a line and exits with CODE.
                        local:
                          command: ["sh", "-c", "echo \\"monitored: the last words before $CODE\\"; exit $CODE"]
                        params:
                          CODE: { type: int, min: 0, max: 255, default: "0" }
                        monitor: { url: "%s/ping/e2e-check" }
                    """.formatted(HEALTHCHECKS.baseUrl()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void monitoredEmbeddedDefault(DynamicPropertyRegistry registry) {
        registry.add("batchgate.data-dir", DATA_DIR::toString);
        GatewayTestSupport.selectedDatabase(registry, DATA_DIR);
        registry.add("batchgate.catalog.dir", () -> DATA_DIR.resolve("catalog").toString());
        registry.add("batchgate.auth.tokens[0].name", () -> "ci");
        registry.add("batchgate.auth.tokens[0].token", () -> GatewayTestSupport.TOKEN);
        registry.add("batchgate.auth.tokens[0].scopes", () -> "admin");
        registry.add("spring.cloud.aws.sqs.listener.poll-timeout", () -> "1s");
        registry.add("batchgate.queue.relay-interval", () -> "100ms");
        registry.add("batchgate.monitor.enabled", () -> "true");
        registry.add("batchgate.monitor.interval", () -> "100ms");
        registry.add("batchgate.monitor.ping-base-url", HEALTHCHECKS::baseUrl);
        registry.add("batchgate.monitor.ping-key", () -> "e2e-ping-key");
        registry.add("batchgate.monitor.management.enabled", () -> "true");
        registry.add("batchgate.monitor.management.base-url", HEALTHCHECKS::baseUrl);
        registry.add("batchgate.monitor.management.api-key", () -> "e2e-api-key");
        registry.add("batchgate.monitor.self.url", () -> HEALTHCHECKS.baseUrl() + "/ping/batchgate-itself");
        registry.add("batchgate.monitor.self.interval", () -> "200ms");
    }

    @BeforeAll
    static void selectedDatabaseIsThere() {
        TestDatabases.assumeSelectedDatabase();
    }

    @AfterAll
    static void stopServer() {
        HEALTHCHECKS.close();
        JobProcesses.killAll(DATA_DIR);
    }

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private static String rid(String runId, int attempt) {
        return UUID.nameUUIDFromBytes(("batchgate/" + runId + "/" + attempt).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static List<Received> pingsOf(String rid, int count) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> HEALTHCHECKS.received().stream()
                                .filter(r -> r.query() != null && r.query().equals("rid=" + rid))
                                .toList(),
                        pings -> pings.size() >= count);
    }

    @Test
    void aSucceedingRunSendsStartThenSuccess() {
        String runId = api.trigger("monitored", Map.of("CODE", "0"));
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");

        List<Received> pings = pingsOf(rid(runId, 1), 2);

        assertThat(pings).extracting(Received::path).containsExactly("/ping/e2e-check/start", "/ping/e2e-check");
        assertThat(pings.get(1).text()).contains("SUCCEEDED: exit code 0 is a success");
    }

    @Test
    void exitCode3SendsSlash3WithTheOutputsTail() {
        String runId = api.trigger("monitored", Map.of("CODE", "3"));
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("FAILED");

        List<Received> pings = pingsOf(rid(runId, 1), 2);

        assertThat(pings).extracting(Received::path).containsExactly("/ping/e2e-check/start", "/ping/e2e-check/3");
        assertThat(pings.get(1).text())
                .contains("FAILED: exit code 3 is a failure")
                .endsWith("monitored: the last words before 3\n");
    }

    @Test
    void theCatalogsSlugChecksAreProvisionedAtStartUp() {
        Received upsert = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> HEALTHCHECKS.received().stream()
                                .filter(r -> r.path().equals("/api/v3/checks/"))
                                .findFirst(),
                        found -> found.isPresent())
                .orElseThrow();

        assertThat(upsert.header("X-Api-Key")).isEqualTo("e2e-api-key");
        assertThat(upsert.text()).contains("\"slug\":\"nightly-billing\"").contains("\"unique\":[\"slug\"]");
    }

    @Test
    void batchgatePingsItsOwnCheck() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HEALTHCHECKS.pathsAndQueries().contains("/ping/batchgate-itself"));
    }
}
