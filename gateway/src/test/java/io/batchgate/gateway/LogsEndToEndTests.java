package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.logs.LogFollowers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The logs endpoint over a real port: completeness, markers, attempt/tail selection, follow, bad input. */
class LogsEndToEndTests extends GatewayIntegrationTests {

    private static final String MARKER = "── ";

    @Autowired
    LogFollowers followers;

    @Test
    void everyLineOfAFastChattyJobIsServedInOrderOnce() {
        String runId = api.trigger("chatty", Map.of());
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("logComplete").asBoolean()).isTrue();

        HttpResponse<String> response = api.get("/api/v1/runs/" + runId + "/logs");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
        assertThat(response.headers().firstValue("X-Log-Complete")).hasValue("true");
        List<String> lines = response.body().lines().toList();
        List<String> output =
                lines.stream().filter(line -> !line.startsWith(MARKER)).toList();
        assertThat(output)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 50_000)
                        .mapToObj(i -> "line " + i)
                        .toList());
        assertThat(lines.get(0)).isEqualTo("── attempt 1 (local) ──");
        assertThat(lines.subList(lines.size() - 2, lines.size()))
                .containsExactly("── attempt 1 ended: exit 0 ──", "── run SUCCEEDED: exit code 0 is a success ──");
    }

    @Test
    void followDeliversLinesWhileTheJobStillRuns() throws Exception {
        String runId = api.trigger("talker", Map.of("SECONDS", "2"));
        List<Instant> firstSeen = new ArrayList<>();
        List<String> statusWhenFirstSeen = new ArrayList<>();
        HttpResponse<InputStream> response = api.http()
                .send(
                        api.request("/api/v1/runs/" + runId + "/logs?follow=true")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        // a second follower of the same run shares the first one's reader
        CompletableFuture<String> second = CompletableFuture.supplyAsync(
                () -> api.get("/api/v1/runs/" + runId + "/logs?follow=true").body());
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.equals("first")) {
                    firstSeen.add(Instant.now());
                    statusWhenFirstSeen.add(api.run(runId).get("status").asString());
                    assertThat(followers.readers()).isEqualTo(1);
                }
            }
        }
        assertThat(lines)
                .containsExactly(
                        "── attempt 1 (local) ──",
                        "first",
                        "second",
                        "── attempt 1 ended: exit 0 ──",
                        "── run SUCCEEDED: exit code 0 is a success ──");
        JsonNode run = api.run(runId);
        assertThat(statusWhenFirstSeen).containsExactly("RUNNING");
        assertThat(firstSeen.get(0))
                .isBefore(Instant.parse(run.get("finishedAt").asString()));
        assertThat(second.get()).isEqualTo(String.join("\n", lines) + "\n");
    }

    @Test
    void attemptAndTailSelectLines() {
        String runId = api.trigger("flaky", Map.of("SUCCEED_ON", "3"));
        api.awaitFinal(runId);
        assertThat(api.get("/api/v1/runs/" + runId + "/logs?attempt=2").body())
                .isEqualTo("── attempt 2 (local) ──\nattempt 2\n── attempt 2 ended: exit 75 ──\n");
        assertThat(api.get("/api/v1/runs/" + runId + "/logs?tail=2").body())
                .isEqualTo("── attempt 3 ended: exit 0 ──\n── run SUCCEEDED: exit code 0 is a success ──\n");
        assertThat(api.get("/api/v1/runs/" + runId + "/logs?attempt=1&tail=1").body())
                .isEqualTo("── attempt 1 ended: exit 75 ──\n");
    }

    @Test
    void badQueryParametersAreProblems() {
        String runId = api.trigger("exit-with", Map.of("CODE", "0"));
        api.awaitFinal(runId);
        assertProblem("/api/v1/runs/" + runId + "/logs?tail=abc", 400, "'tail' must be an integer");
        assertProblem("/api/v1/runs/" + runId + "/logs?tail=0", 400, "'tail' must be an integer");
        assertProblem("/api/v1/runs/" + runId + "/logs?attempt=99", 404, "there is no attempt 99");
        assertProblem("/api/v1/runs/" + runId + "/logs?follow=yes", 400, "'follow' must be true or false");
        assertProblem("/api/v1/runs/" + runId + "/logs?since=1", 400, "Unknown query parameter 'since'");
        assertProblem("/api/v1/runs/nope/logs", 404, "is not a run id");
    }

    private void assertProblem(String path, int status, String detail) {
        HttpResponse<String> response = api.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(api.json(response).get("detail").asString()).contains(detail);
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
