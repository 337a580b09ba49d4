package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Retries, timeouts, cancel and overlap policies, over HTTP, with real processes. */
class PoliciesEndToEndTests extends GatewayIntegrationTests {

    private JsonNode awaitStatus(String runId, String status) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> api.run(runId),
                        run -> status.equals(run.get("status").asString()));
    }

    private HttpResponse<String> cancel(String runId, String reason) {
        return api.post("/api/v1/runs/" + runId + "/cancel", "application/json", "{\"reason\":\"" + reason + "\"}");
    }

    private static long pidOf(JsonNode run) {
        String handle = run.get("attempts")
                .get(run.get("attempts").size() - 1)
                .get("taskHandle")
                .asString();
        return Long.parseLong(handle.substring("local:".length()).split("@")[0]);
    }

    private static List<String> timeline(JsonNode run) {
        return run.get("timeline")
                .valueStream()
                .map(e -> e.get("to").asString())
                .toList();
    }

    @Test
    void aFlakyJobIsRetriedByItsRuleUntilItSucceeds() {
        String runId = api.trigger("flaky", Map.of("SUCCEED_ON", "3"));
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("attempts")).hasSize(3);
        assertThat(run.get("attempts")
                        .valueStream()
                        .map(a -> a.get("exitCode").asInt())
                        .toList())
                .containsExactly(75, 75, 0);
        assertThat(run.get("attempts")
                        .valueStream()
                        .map(a -> a.get("jobExecutionId").asLong())
                        .distinct()
                        .count())
                .isEqualTo(3);
        assertThat(timeline(run).stream().filter("RETRY_WAIT"::equals).count()).isEqualTo(2);
        assertThat(api.logs(runId))
                .contains("── attempt 1 (local) ──\nattempt 1\n── attempt 1 ended: exit 75 ──\n")
                .contains("── attempt 3 (local) ──\nattempt 3\n── attempt 3 ended: exit 0 ──\n")
                .endsWith("── run SUCCEEDED: exit code 0 is a success ──\n");
    }

    @Test
    void retriesEndAtMaxAttempts() {
        JsonNode run = api.awaitFinal(api.trigger("flaky", Map.of("SUCCEED_ON", "9")));
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("attempts")).hasSize(3);
        assertThat(run.get("exitCode").asInt()).isEqualTo(75);
    }

    @Test
    void aRunTimeoutStopsTheTaskAndIsRetriedByItsRuleThenEndsTimedOut() {
        JsonNode run = api.awaitFinal(api.trigger("polite", Map.of()));
        assertThat(run.get("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(run.get("attempts")).hasSize(2);
        assertThat(run.get("exitCode").asInt()).isEqualTo(143);
        assertThat(run.get("reason").asString()).startsWith("timed out");
        assertThat(timeline(run))
                .containsSubsequence(
                        "RUNNING", "STOPPING", "RETRY_WAIT", "LAUNCHING", "RUNNING", "STOPPING", "TIMED_OUT");
    }

    @Test
    void aTaskIgnoringSigtermIsKilledAfterTheStopGrace() {
        JsonNode run = api.awaitFinal(api.trigger("stubborn", Map.of()));
        assertThat(run.get("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(run.get("exitCode").isNull()).isTrue();
        assertThat(run.get("timeline").valueStream().map(e -> e.get("reason").asString()))
                .anyMatch(reason -> reason.contains("killing it"));
        Duration ran = Duration.between(
                Instant.parse(run.get("startedAt").asString()),
                Instant.parse(run.get("finishedAt").asString()));
        assertThat(ran).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(ProcessHandle.of(pidOf(run)).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void cancellingARunningRunStopsItsProcessAndIsIdempotent() {
        String runId = api.trigger("exclusive", Map.of("SECONDS", "30"));
        JsonNode running = awaitStatus(runId, "RUNNING");
        HttpResponse<String> first = cancel(runId, "operator request");
        assertThat(first.statusCode()).as(first.body()).isIn(200, 202);
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("reason").asString()).contains("cancelled").contains("by ci: operator request");
        assertThat(ProcessHandle.of(pidOf(running)).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        HttpResponse<String> again = cancel(runId, "again");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(api.json(again).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void cancellingAFinishedRunIsAConflict() {
        String runId = api.trigger("hello", Map.of());
        api.awaitFinal(runId);
        HttpResponse<String> response = cancel(runId, "too late");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(api.json(response).get("type").asString()).isEqualTo("/problems/run-finished");
        assertThat(api.json(response).get("status").asInt()).isEqualTo(409);
        assertThat(api.json(response).get("runStatus").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void forbidSkipsATriggerWhileARunIsActive() {
        String first = api.trigger("exclusive", Map.of("SECONDS", "30"));
        awaitStatus(first, "RUNNING");
        HttpResponse<String> refused =
                api.post("/api/v1/jobs/exclusive/runs", "application/x-www-form-urlencoded", "SECONDS=1");
        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode problem = api.json(refused);
        assertThat(problem.get("type").asString()).isEqualTo("/problems/overlap-forbidden");
        assertThat(problem.get("activeRunId").asString()).isEqualTo(first);
        assertThat(api.run(problem.get("runId").asString()).get("status").asString())
                .isEqualTo("SKIPPED");
        assertThat(api.run(first).get("status").asString()).isEqualTo("RUNNING"); // untouched by the refusal
        cancel(first, "test over");
        api.awaitFinal(first);
    }

    @Test
    void queueRunsOneAtATimeInOrderAndRefusesBeyondMaxQueued() throws Exception {
        Path log = Files.createTempFile(DATA_DIR, "queue-", ".txt");
        String first = api.trigger("one-at-a-time", Map.of("SECONDS", "2", "COUNT_FILE", log.toString()));
        awaitStatus(first, "RUNNING");
        String second = api.trigger("one-at-a-time", Map.of("SECONDS", "0", "COUNT_FILE", log.toString()));
        String third = api.trigger("one-at-a-time", Map.of("SECONDS", "0", "COUNT_FILE", log.toString()));
        HttpResponse<String> full =
                api.post("/api/v1/jobs/one-at-a-time/runs", "application/x-www-form-urlencoded", "SECONDS=0");
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
        assertThat(api.json(full).get("type").asString()).isEqualTo("/problems/queue-full");
        assertThat(api.run(second).get("status").asString()).isEqualTo("QUEUED");

        for (String runId : List.of(first, second, third)) {
            assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");
        }
        assertThat(Files.readAllLines(log)).containsExactly("started", "done", "started", "done", "started", "done");
        JsonNode a = api.run(first);
        JsonNode b = api.run(second);
        assertThat(Instant.parse(b.get("startedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(a.get("finishedAt").asString()));
    }

    @Test
    void aQueuedRunCancelledBeforeItsTurnNeverLaunches() {
        String first = api.trigger("one-at-a-time", Map.of("SECONDS", "30"));
        awaitStatus(first, "RUNNING");
        String waiting = api.trigger("one-at-a-time", Map.of("SECONDS", "0"));
        HttpResponse<String> cancelled = cancel(waiting, "not needed");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(api.json(cancelled).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.json(cancelled).get("attempts")).isEmpty();
        cancel(first, "test over");
        assertThat(api.awaitFinal(first).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.run(waiting).get("attempts")).isEmpty();
    }

    @Test
    void replaceCancelsTheRunningRunAndStartsTheNewOneAfterIt() {
        String old = api.trigger("latest", Map.of("SECONDS", "30"));
        awaitStatus(old, "RUNNING");
        String replacement = api.trigger("latest", Map.of("SECONDS", "0"));
        JsonNode replaced = api.awaitFinal(old);
        assertThat(replaced.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(replaced.get("reason").asString()).contains("replaced");
        JsonNode next = api.awaitFinal(replacement);
        assertThat(next.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(Instant.parse(next.get("startedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(replaced.get("finishedAt").asString()));
    }
}
