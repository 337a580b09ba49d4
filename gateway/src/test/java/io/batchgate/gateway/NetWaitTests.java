package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.gateway.wait.RunWaiters;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/net-runs/{id}?wait=} over the real port, on the suite's database (H2, and
 * MariaDB in the module's second run): parked like a job run's waiter, answered when the net ends.
 * The net test-join ends when the test creates its two gate files.
 */
class NetWaitTests extends GatewayIntegrationTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Autowired
    RunWaiters waiters;

    private final List<String> started = new ArrayList<>();

    @AfterEach
    void endTheNets() throws Exception {
        Jobctl.killAllStarted();
        // whatever happened, no member of this test's nets waits on after it
        for (String id : started) {
            api.post("/api/v1/net-runs/" + id + "/cancel", null, "");
        }
        for (String gate : new String[] {"left", "right"}) {
            if (!Files.exists(dir.resolve(gate))) {
                Files.createFile(dir.resolve(gate));
            }
        }
    }

    private String startJoin() {
        HttpResponse<String> response = api.post(
                "/api/v1/nets/test-join/runs",
                "application/json",
                json.writeValueAsString(Map.of("params", Map.of("DIR", dir.toString()))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = api.json(response).get("id").asString();
        started.add(id);
        return id;
    }

    @Test
    void aWaitIsAnsweredAsSoonAsTheNetEnds() throws Exception {
        String id = startJoin();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> parked =
                CompletableFuture.supplyAsync(() -> api.get("/api/v1/net-runs/" + id + "?wait=25"));
        await().atMost(Duration.ofSeconds(20)).until(() -> waiters.waiting() == 1);
        Files.createFile(dir.resolve("left"));
        Files.createFile(dir.resolve("right"));

        HttpResponse<String> response = parked.get(60, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode run = api.json(response);
        assertThat(run.get("status").asString()).isEqualTo("ENDED");
        assertThat(run.get("judgment").asString()).isEqualTo("SUCCEEDED");
        // answered because the net ended, not because the wait did
        assertThat(took).isLessThan(Duration.ofSeconds(25));
        assertThat(waiters.waiting()).isZero();
    }

    /** Net waiters are parked like job-run waiters: 300 of them hold no thread each. */
    @Test
    void manyNetWaitersHoldNoThreadEachAndAreAllAnswered() throws Exception {
        String id = startJoin();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.concurrent.ExecutorService clientThreads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .executor(clientThreads)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            int threadsBefore = threads.getThreadCount();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                answers.add(client.sendAsync(
                        api.request("/api/v1/net-runs/" + id + "?wait=25")
                                .timeout(Duration.ofSeconds(60))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> waiters.waiting() == 300);
            int threadsParked = threads.getThreadCount();
            Files.createFile(dir.resolve("left"));
            Files.createFile(dir.resolve("right"));
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
            }
            // Tomcat alone would need 300 threads for them
            assertThat(threadsParked - threadsBefore).isLessThan(100);
            assertThat(waiters.waiting()).isZero();
        } finally {
            clientThreads.shutdownNow();
        }
    }

    @Test
    void aWaitThatEndsFirstAnswers202WithTheNetRunAsItIs() {
        String id = startJoin();
        HttpResponse<String> response = api.get("/api/v1/net-runs/" + id + "?wait=1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(api.json(response).get("status").asString()).isEqualTo("RUNNING");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 0);
    }

    @Test
    void aWaitOnAnEndedNetRunAnswersAtOnce() throws Exception {
        String id = startJoin();
        Files.createFile(dir.resolve("left"));
        Files.createFile(dir.resolve("right"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.json(api.get("/api/v1/net-runs/" + id))
                        .get("status")
                        .asString()
                        .equals("ENDED"));
        long started = System.nanoTime();
        HttpResponse<String> response = api.get("/api/v1/net-runs/" + id + "?wait=25");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "3601", "99999999999", ""})
    void aWaitThatIsNotAWholeNumberOfSecondsIsAProblem(String wait) {
        String id = startJoin();
        HttpResponse<String> response = api.get("/api/v1/net-runs/" + id + "?wait=" + wait);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = api.json(response);
        assertThat(problem.get("type").asString()).endsWith("malformed-request");
        assertThat(problem.get("detail").asString()).contains("'wait' must be a whole number of seconds");
    }

    @Test
    void aRepeatedWaitIsAProblemAsForAJobRun() {
        String id = startJoin();
        HttpResponse<String> response = api.get("/api/v1/net-runs/" + id + "?wait=1&wait=2");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(api.json(response).get("detail").asString()).contains("'wait' is given more than once");
    }

    /** jobctl run-net --wait parks on the server's wait instead of polling on a timer. */
    @Test
    void jobctlRunNetWaitParksOnTheServer() {
        Jobctl.Started jobctl = new Jobctl(dir, port, TestCaller.JOBCTL.token())
                .start("run-net", "test-join", "--param", "DIR=" + dir, "--wait");
        await().atMost(Duration.ofSeconds(30)).until(() -> waiters.waiting() == 1);
        try {
            Files.createFile(dir.resolve("left"));
            Files.createFile(dir.resolve("right"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Jobctl.Result result = jobctl.result();
        started.add(result.stdout().strip());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(api.json(api.get("/api/v1/net-runs/" + result.stdout().strip()))
                        .get("judgment")
                        .asString())
                .isEqualTo("SUCCEEDED");
    }
}
