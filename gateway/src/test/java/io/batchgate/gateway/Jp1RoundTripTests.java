package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.jp1.Jp1ImportCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 20's round trip: {@code scripts/jp1-import} turns the sample estate
 * ({@code sample-night.ajsprint}) into catalog files, the running app loads them, and the
 * imported jobnet {@code night-billing} ends as JP1's thresholds say for each scheduled date.
 */
class Jp1RoundTripTests extends GatewayIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Path CATALOG = DATA_DIR.resolve("catalog");

    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Path> added = new ArrayList<>();

    @TempDir
    Path dir;

    private static Path sample() {
        Path fromModule = Path.of("../job-catalog/src/test/resources/jp1/sample-night.ajsprint");
        return Files.exists(fromModule)
                ? fromModule
                : Path.of("job-catalog/src/test/resources/jp1/sample-night.ajsprint");
    }

    @BeforeEach
    void importTheSampleIntoTheRunningCatalog() throws IOException {
        Path out = dir.resolve("imported");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Jp1ImportCommand()
                .run(
                        new String[] {"--out", out.toString(), sample().toString()},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isIn(0, 1);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Path target = CATALOG.resolve(out.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
                added.add(target);
            }
        }
        reload();
    }

    @AfterEach
    void removeTheImportedFiles() throws IOException {
        for (Path file : added) {
            Files.deleteIfExists(file);
        }
        reload();
    }

    private void reload() {
        HttpResponse<String> reload = api.post("/api/v1/catalog/reload", null, "");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    }

    private JsonNode runNightBilling(String date) {
        HttpResponse<String> response = api.post(
                "/api/v1/nets/night-billing/runs",
                "application/json",
                json.writeValueAsString(Map.of("params", Map.of("AJSEXDATE", date))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = api.json(response).get("id").asString();
        return await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            HttpResponse<String> read = api.get("/api/v1/net-runs/" + id);
                            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                            return api.json(read);
                        },
                        run -> run.get("status").asString().equals("ENDED"));
    }

    private static Map<String, String> states(JsonNode run) {
        Map<String, String> states = new HashMap<>();
        run.get("members")
                .forEach(
                        m -> states.put(m.get("name").asString(), m.get("state").asString()));
        return states;
    }

    private JsonNode memberParams(JsonNode netRun, String member) {
        for (JsonNode m : netRun.get("members")) {
            if (m.get("name").asString().equals(member)) {
                return api.run(m.get("runId").asString()).get("params");
            }
        }
        throw new AssertionError("no member " + member + " in " + netRun);
    }

    @Test
    void theImportedNetEndsAsItsJp1ThresholdsSay() {
        JsonNode warning = runNightBilling("2026/12/01");
        assertThat(states(warning))
                .as("extract exits 4: above wth=3, not above tho=8")
                .containsEntry("extract", "WARNING")
                .containsEntry("notify", "SUCCEEDED")
                .containsEntry("load", "SUCCEEDED")
                .containsEntry("report", "SUCCEEDED")
                .containsEntry("rload", "SKIPPED");
        assertThat(warning.get("judgment").asString()).isEqualTo("WARNING");
        assertThat(warning.get("exitCode").asInt()).isEqualTo(4);
        assertThat(memberParams(warning, "load").get("AJSPRE_RC").asString())
                .as("JP1's AJSPRE_RC: the preceding member's exit code")
                .isEqualTo("4");
        assertThat(memberParams(warning, "extract").has("AJSPRE_RC"))
                .as("no predecessor")
                .isFalse();

        JsonNode failed = runNightBilling("2026/12/02");
        assertThat(states(failed))
                .as("extract exits 9: above tho=8, and nothing recovers it")
                .containsEntry("extract", "FAILED")
                .containsEntry("load", "SKIPPED")
                .containsEntry("notify", "SKIPPED")
                .containsEntry("report", "SKIPPED");
        assertThat(failed.get("judgment").asString()).isEqualTo("FAILED");
        assertThat(failed.get("exitCode").asInt()).isEqualTo(9);

        JsonNode recovered = runNightBilling("2026/12/03");
        assertThat(states(recovered))
                .as("load exits 1 (no thresholds: a failure), the recovery job rload runs")
                .containsEntry("extract", "SUCCEEDED")
                .containsEntry("load", "FAILED")
                .containsEntry("rload", "SUCCEEDED")
                .containsEntry("report", "SKIPPED")
                .containsEntry("notify", "SKIPPED");
        assertThat(recovered.get("judgment").asString()).isEqualTo("WARNING");
        assertThat(recovered.get("exitCode").asInt()).isEqualTo(1);
        assertThat(memberParams(recovered, "rload").get("AJSPRE_RC").asString()).isEqualTo("1");
    }
}
