package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code ?wait=} long polling, the text representation for shells, and cancel-on-abandon leases. */
class WaitTests extends GatewayIntegrationTests {

    @Test
    void aWaitingStatusReadIsAnsweredWhenTheRunEnds() {
        String runId = api.trigger("exit-with", Map.of("CODE", "3"));
        long started = System.nanoTime();
        HttpResponse<String> response = api.get("/api/v1/runs/" + runId + "?wait=20");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode run = api.json(response);
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("exitCode").asInt()).isEqualTo(3);
        assertThat(response.headers().firstValue("X-Run-Status")).hasValue("FAILED");
        // answered because the run ended, not because the wait did
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.batchgate.gateway.wait.RunWaiters waiters;

    @Test
    void stoppingReleasesParkedWaitersAndStartingAgainParksThemAgain() throws Exception {
        String runId = api.trigger("nap", Map.of("MILLIS", "30000"));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> parked =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> api.get("/api/v1/runs/" + runId + "?wait=20"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 1);
        try {
            waiters.releaseAll(); // what stopping the application does
            HttpResponse<String> released = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(released.statusCode()).isEqualTo(202);
            long started = System.nanoTime();
            HttpResponse<String> whileClosing = api.get("/api/v1/runs/" + runId + "?wait=20");
            assertThat(whileClosing.statusCode()).isEqualTo(202);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        } finally {
            waiters.open(); // what starting it again does
        }
        java.util.concurrent.CompletableFuture<HttpResponse<String>> again =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> api.get("/api/v1/runs/" + runId + "?wait=20"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 1);
        api.post("/api/v1/runs/" + runId + "/cancel", null, "");
        assertThat(again.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aWaitThatEndsFirstAnswers202WithTheRunAsItIs() {
        String runId = api.trigger("nap", Map.of("MILLIS", "30000"));
        HttpResponse<String> response = api.get("/api/v1/runs/" + runId + "?wait=1");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(api.json(response).get("status").asString()).isIn("QUEUED", "LAUNCHING", "RUNNING");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        api.post("/api/v1/runs/" + runId + "/cancel", null, "");
        api.awaitFinal(runId);
    }

    @Test
    void aTriggerCanWaitForItsRunAndGetsTheFinalRun() {
        HttpResponse<String> response =
                api.post("/api/v1/jobs/exit-with/runs?wait=20", "application/json", "{\"params\":{\"CODE\":\"42\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = api.json(response);
        assertThat(body.get("status").asString()).isEqualTo("FAILED");
        assertThat(body.get("exitCode").asInt()).isEqualTo(42);
        assertThat(response.headers().firstValue("Location"))
                .hasValue("/api/v1/runs/" + body.get("runId").asString());
    }

    @Test
    void aTriggerWhoseWaitEndsFirstAnswers202() {
        HttpResponse<String> response =
                api.post("/api/v1/jobs/nap/runs?wait=1", "application/json", "{\"params\":{\"MILLIS\":\"30000\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String runId = api.json(response).get("runId").asString();
        api.post("/api/v1/runs/" + runId + "/cancel", null, "");
        api.awaitFinal(runId);
    }

    @Test
    void shellsGetTheRunAsNameValueLines() {
        String runId = api.trigger("exit-with", Map.of("CODE", "1"));
        HttpResponse<String> response = api.send(api.request("/api/v1/runs/" + runId + "?wait=20")
                .header("Accept", "text/plain")
                .GET()
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("runId=" + runId + "\n")
                .contains("status=SUCCEEDED\n")
                .contains("final=true\n")
                .contains("exitCode=1\n")
                .contains("warning=true\n");
        assertThat(response.body().lines()).allMatch(line -> line.matches("[a-zA-Z]+=.*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "3601", "99999999999", ""})
    void aWaitThatIsNotAWholeNumberOfSecondsIsRefused(String wait) {
        String runId = api.trigger("hello", Map.of());
        HttpResponse<String> status = api.get("/api/v1/runs/" + runId + "?wait=" + wait);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(400);
        assertThat(status.body()).contains("'wait' must be a whole number of seconds");
        HttpResponse<String> trigger = api.post("/api/v1/jobs/hello/runs?wait=" + wait, null, "");
        assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(400);
        assertThat(trigger.body()).contains("'wait' must be a whole number of seconds");
    }

    @Test
    void aRunWhoseWaiterStopsPollingIsCancelledWhenItsLeaseRunsOut() {
        HttpResponse<String> response = api.post(
                "/api/v1/jobs/nap/runs?abandonAfter=5", "application/json", "{\"params\":{\"MILLIS\":\"60000\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String runId = api.json(response).get("runId").asString();
        // polled for longer than the lease: still running
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < until) {
            HttpResponse<String> poll = api.get("/api/v1/runs/" + runId + "?wait=2");
            assertThat(poll.statusCode()).as(poll.body()).isEqualTo(202);
        }
        assertThat(api.run(runId).get("status").asString()).isEqualTo("RUNNING");
        // then the waiter goes away without a word (SIGKILL): the lease cancels the run
        JsonNode run = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> runWithoutPolling(runId),
                        r -> r.get("status").asString().equals("CANCELLED"));
        assertThat(run.get("reason").asString()).contains("abandoned");
    }

    /** Reads a run from the database through the history list: a status read would renew the lease. */
    private JsonNode runWithoutPolling(String runId) {
        HttpResponse<String> page =
                api.send(api.request("/api/v1/runs?job=nap&limit=500").GET().build());
        for (JsonNode run : api.json(page).get("runs")) {
            if (run.get("runId").asString().equals(runId)) {
                return run;
            }
        }
        throw new AssertionError("run " + runId + " not in the history");
    }

    @Test
    void anAbandonLeaseOutsideItsBoundsIsRefused() {
        HttpResponse<String> response = api.send(api.request("/api/v1/jobs/hello/runs?abandonAfter=1")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'abandonAfter' must be at least 3 s");
    }
}
