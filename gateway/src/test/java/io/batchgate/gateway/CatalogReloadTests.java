package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The catalog follows its directory without a restart, over the wire: real file edits, the
 * periodic reload and the reload endpoint; runs keep the definition they were accepted with.
 * The jobs live in a file of their own, removed after each test, so the other test classes of the
 * shared context see the catalog they expect.
 */
class CatalogReloadTests extends GatewayIntegrationTests {

    private static final Path FILE = DATA_DIR.resolve("catalog").resolve("reload-tests.yaml");
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void removeTheTestJobs() throws IOException {
        Files.deleteIfExists(FILE);
        HttpResponse<String> reload = api.post("/api/v1/catalog/reload", null, "");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
    }

    @Test
    void anEditedJobIsUsedByTheNextTriggerWithinTheInterval() throws IOException {
        write(job("reload-edit", "exit 0", ""));
        String v1 = awaitJobVersion("reload-edit", null);
        JsonNode first = api.awaitFinal(api.trigger("reload-edit", Map.of()));
        assertThat(first.get("exitCode").asInt()).isZero();
        assertThat(first.get("catalogVersion").asString()).isEqualTo(v1);
        // the swap created the new job's lock row, so no trigger has to create it under load
        await().atMost(WITHIN)
                .until(() -> jdbc.sql("SELECT COUNT(*) FROM bg_job_lock WHERE job = 'reload-edit'")
                                .query(Integer.class)
                                .single()
                        == 1);

        write(job("reload-edit", "exit 4", ""));
        String v2 = awaitJobVersion("reload-edit", v1); // no reload call: the periodic check finds it

        JsonNode second = api.awaitFinal(api.trigger("reload-edit", Map.of()));
        assertThat(second.get("exitCode").asInt()).isEqualTo(4);
        assertThat(second.get("catalogVersion").asString()).isEqualTo(v2);
        List<String> versions = new ArrayList<>();
        api.json(api.get("/api/v1/catalog/versions"))
                .get("versions")
                .forEach(version -> versions.add(version.get("version").asString()));
        assertThat(versions).containsSubsequence(v2, v1);
    }

    @Test
    void aBrokenEditIsRefusedAndThePreviousVersionStaysInForce() throws IOException {
        write(job("reload-broken", "exit 0", ""));
        String good = awaitJobVersion("reload-broken", null);
        double failuresBefore = failures();

        write(job("reload-broken", "exit 0", "    timeouts: { run: forever }\n"));
        await().atMost(WITHIN)
                .until(() -> api.json(api.get("/api/v1/catalog")).get("reload").asString(), "refused"::equals);

        JsonNode catalog = api.json(api.get("/api/v1/catalog"));
        assertThat(catalog.get("version").asString()).isEqualTo(good);
        assertThat(catalog.get("errors").toString()).contains("reload-tests.yaml:5: jobs.reload-broken.timeouts");
        HttpResponse<String> reload = api.post("/api/v1/catalog/reload", null, "");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
        assertThat(reload.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = api.json(reload);
        assertThat(problem.get("version").asString()).isEqualTo(good);
        assertThat(problem.get("errors").toString()).contains("reload-tests.yaml:5:");
        assertThat(failures()).isEqualTo(failuresBefore + 1);
        // the job still runs by the version in force
        assertThat(api.awaitFinal(api.trigger("reload-broken", Map.of()))
                        .get("catalogVersion")
                        .asString())
                .isEqualTo(good);

        write(job("reload-broken", "exit 0", "    timeouts: { run: 1h }\n"));
        HttpResponse<String> fixed = api.post("/api/v1/catalog/reload", null, "");
        assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
        assertThat(api.json(fixed).get("version").asString()).isNotEqualTo(good);
        assertThat(api.json(api.get("/api/v1/catalog")).get("reload").asString())
                .isEqualTo("ok");
    }

    @Test
    void onlyAdminsMayReload() {
        for (TestCaller caller : List.of(TestCaller.READER, TestCaller.METRICS, TestCaller.JOBCTL)) {
            HttpResponse<String> response = api.send(api.request("/api/v1/catalog/reload")
                    .setHeader("Authorization", "Bearer " + caller.token())
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
            assertThat(response.statusCode()).as(caller.name()).isEqualTo(403);
        }
        HttpResponse<String> noToken = api.send(
                HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/catalog/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    /**
     * Attempt 1 fails with 3, which v1 retries; while the run waits for attempt 2, v2 changes the
     * command to succeed and drops the retry rule. Attempt 2 still runs v1's command and is judged
     * by v1's rules: the run fails with 3 after two attempts.
     */
    @Test
    void aRunRetriedAcrossACatalogChangeKeepsItsDefinition() throws IOException {
        write(job("reload-retry", "exit 3", RETRY_ON_3));
        String v1 = awaitJobVersion("reload-retry", null);
        String run = api.trigger("reload-retry", Map.of());
        awaitStatus(run, "RETRY_WAIT");

        write(job("reload-retry", "exit 0", ""));
        swapAwayFrom(v1);
        assertThat(api.run(run).get("status").asString()).isEqualTo("RETRY_WAIT");

        JsonNode finished = api.awaitFinal(run);
        assertThat(finished.get("status").asString()).isEqualTo("FAILED");
        assertThat(finished.get("exitCode").asInt()).isEqualTo(3);
        assertThat(finished.get("attempts")).hasSize(2);
        assertThat(finished.get("catalogVersion").asString()).isEqualTo(v1);
    }

    @Test
    void aJobRemovedFromTheCatalogFinishesItsAcceptedRun() throws IOException {
        write(job("reload-removed", "[ $BATCHGATE_ATTEMPT -ge 2 ] && exit 0; exit 3", RETRY_ON_3)
                + job("reload-stays", "exit 0", "").replace("jobs:\n", ""));
        String v1 = awaitJobVersion("reload-removed", null);
        String run = api.trigger("reload-removed", Map.of());
        awaitStatus(run, "RETRY_WAIT");

        write(job("reload-stays", "exit 0", ""));
        swapAwayFrom(v1);
        assertThat(api.get("/api/v1/jobs/reload-removed").statusCode()).isEqualTo(404);

        JsonNode finished = api.awaitFinal(run);
        assertThat(finished.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("attempts")).hasSize(2);
    }

    private static final String RETRY_ON_3 = """
                retry:
                  maxAttempts: 2
                  backoff: { initial: 5s, max: 5s }
                  rules:
                    - exitCodes: [3]
                      action: RETRY
            """;

    private static String job(String name, String script, String more) {
        return "jobs:\n  " + name + ":\n    local:\n      command: [\"sh\", \"-c\", \"" + script + "\"]\n" + more;
    }

    private static void write(String yaml) throws IOException {
        // write then move: the periodic reload never reads a half-written file
        Path temp = FILE.resolveSibling("reload-tests.tmp");
        Files.writeString(temp, yaml);
        Files.move(
                temp,
                FILE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reloads now (a test must not wait for the interval here) and waits until v1 is gone. */
    private void swapAwayFrom(String v1) {
        HttpResponse<String> reload = api.post("/api/v1/catalog/reload", null, "");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(api.json(api.get("/api/v1/catalog")).get("version").asString())
                .isNotEqualTo(v1);
    }

    private String awaitJobVersion(String job, String notThis) {
        return await().atMost(WITHIN)
                .until(
                        () -> {
                            HttpResponse<String> response = api.get("/api/v1/jobs/" + job);
                            return response.statusCode() == 200
                                    ? api.json(response).get("catalogVersion").asString()
                                    : null;
                        },
                        version -> version != null && !version.equals(notThis));
    }

    private void awaitStatus(String run, String status) {
        await().atMost(WITHIN)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> api.run(run).get("status").asString(), status::equals);
    }

    private double failures() {
        String metrics = api.get("/actuator/prometheus").body();
        return metrics.lines()
                .filter(line -> line.startsWith("batchgate_catalog_reload_failures_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
