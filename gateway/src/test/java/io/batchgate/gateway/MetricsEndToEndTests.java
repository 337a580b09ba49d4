package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The per-job meters over the real port: runs that succeed, fail, time out, are cancelled and are
 * retried on the local runtime, then a scrape of {@code /actuator/prometheus}. The shared context
 * has run other classes' jobs before, so each assertion compares with a scrape taken before.
 */
class MetricsEndToEndTests extends GatewayIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void runsAreCountedByJobAndOutcomeTimedAndTheirExitCodesCounted() {
        PrometheusScrape before = scrape();

        String succeeded = api.trigger("noisy", Map.of("CODE", "0"));
        String failed = api.trigger("noisy", Map.of("CODE", "3"));
        String timedOut = api.trigger("stubborn", Map.of());
        String retried = api.trigger("flaky", Map.of("SUCCEED_ON", "2"));
        String cancelled = api.trigger("talker", Map.of("SECONDS", "60"));
        // cancelled once its command runs: a SIGTERM right at the launch was seen to miss the job
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> api.logs(cancelled)
                .contains("first"));
        assertThat(cancel(cancelled).statusCode()).isIn(200, 202);

        assertThat(status(succeeded)).isEqualTo("SUCCEEDED");
        assertThat(status(failed)).isEqualTo("FAILED");
        assertThat(status(timedOut)).isEqualTo("TIMED_OUT");
        assertThat(status(retried)).isEqualTo("SUCCEEDED");
        assertThat(status(cancelled)).isEqualTo("CANCELLED");

        // the events are counted after their commit, which a final status may beat by a moment
        PrometheusScrape after = await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        this::scrape,
                        s -> increase(before, s, "batchgate_runs_finished_total", Map.of("job", "talker")) >= 1);
        Function<Map<String, String>, Double> finished =
                labels -> increase(before, after, "batchgate_runs_finished_total", labels);
        assertThat(finished.apply(Map.of("job", "noisy", "outcome", "succeeded")))
                .isGreaterThanOrEqualTo(1);
        assertThat(finished.apply(Map.of("job", "noisy", "outcome", "failed"))).isGreaterThanOrEqualTo(1);
        assertThat(finished.apply(Map.of("job", "stubborn", "outcome", "timed_out")))
                .isGreaterThanOrEqualTo(1);
        assertThat(finished.apply(Map.of("job", "flaky", "outcome", "succeeded")))
                .isGreaterThanOrEqualTo(1);
        assertThat(finished.apply(Map.of("job", "talker", "outcome", "cancelled")))
                .isGreaterThanOrEqualTo(1);

        assertThat(increase(before, after, "batchgate_runs_accepted_total", Map.of("job", "noisy")))
                .isGreaterThanOrEqualTo(2);
        assertThat(increase(before, after, "batchgate_runs_started_total", Map.of("job", "noisy")))
                .isGreaterThanOrEqualTo(2);
        assertThat(increase(before, after, "batchgate_runs_retries_total", Map.of("job", "flaky")))
                .as("attempt 1 of flaky exits 75 and is retried")
                .isGreaterThanOrEqualTo(1);
        assertThat(increase(before, after, "batchgate_attempts_exits_total", Map.of("job", "noisy", "code", "3")))
                .isGreaterThanOrEqualTo(1);
        assertThat(increase(before, after, "batchgate_attempts_exits_total", Map.of("job", "flaky", "code", "75")))
                .isGreaterThanOrEqualTo(1);
        assertThat(increase(before, after, "batchgate_attempts_exits_total", Map.of("job", "flaky", "code", "0")))
                .isGreaterThanOrEqualTo(1);

        // histograms: the attempt durations and the queue waits of these runs
        assertThat(increase(before, after, "batchgate_attempts_duration_seconds_count", Map.of("job", "flaky")))
                .as("two attempts of flaky ran")
                .isGreaterThanOrEqualTo(2);
        assertThat(increase(before, after, "batchgate_attempts_duration_seconds_sum", Map.of("job", "stubborn")))
                .as("stubborn ran at least its 1 s run timeout")
                .isGreaterThanOrEqualTo(1.0);
        assertThat(after.has("batchgate_attempts_duration_seconds_bucket", Map.of("job", "noisy", "le", "+Inf")))
                .isTrue();
        assertThat(after.samples().stream()
                        .filter(s -> s.name().equals("batchgate_attempts_duration_seconds_bucket"))
                        .filter(s -> "noisy".equals(s.labels().get("job"))))
                .as("16 buckets and +Inf per job: bounded")
                .hasSize(17);
        assertThat(increase(before, after, "batchgate_runs_queue_wait_seconds_count", Map.of("job", "noisy")))
                .isGreaterThanOrEqualTo(2);

        assertThat(increase(before, after, "batchgate_launches_total", Map.of("runtime", "local", "result", "started")))
                .as("one launch per attempt: 2 noisy, stubborn, 2 flaky, talker")
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void queueDepthShowsAWaitingRunAndOutboxAgeIsReported() {
        String first = api.trigger("one-at-a-time", Map.of("SECONDS", "30"));
        awaitStatus(first, "RUNNING");
        String waiting = api.trigger("one-at-a-time", Map.of("SECONDS", "0"));
        assertThat(api.run(waiting).get("status").asString()).isEqualTo("QUEUED");
        try {
            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> scrape().sum(
                                            "batchgate_runs_waiting",
                                            Map.of("job", "one-at-a-time", "status", "queued")),
                            depth -> depth == 1.0);
        } finally {
            cancel(waiting);
            cancel(first);
        }
        api.awaitFinal(first);
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> scrape().sum(
                                        "batchgate_runs_waiting", Map.of("job", "one-at-a-time", "status", "queued")),
                        depth -> depth == 0.0);

        PrometheusScrape scrape = scrape();
        assertThat(scrape.has("batchgate_runs_waiting", Map.of("job", "one-at-a-time", "status", "retry_wait")))
                .isTrue();
        assertThat(scrape.has("batchgate_outbox_age_seconds", Map.of())).isTrue();
        assertThat(scrape.sum("batchgate_outbox_age_seconds", Map.of()))
                .as("the relay sends every 100 ms here: nothing waits long")
                .isBetween(0.0, 30.0);
    }

    @Test
    void aJobNameOutsideTheCatalogCreatesNoSeries() {
        HttpResponse<String> refused = api.post("/api/v1/jobs/no-such-job/runs", "application/json", "{}");
        assertThat(refused.statusCode()).isEqualTo(404);

        PrometheusScrape scrape = scrape();
        assertThat(scrape.samples())
                .noneMatch(sample -> "no-such-job".equals(sample.labels().get("job")));
        assertThat(scrape.labelValues("batchgate_runs_waiting", "job"))
                .as("every job of the catalog, and nothing else but 'other'")
                .contains("noisy", "flaky", "hello")
                .doesNotContain("no-such-job");
    }

    private PrometheusScrape scrape() {
        HttpResponse<String> response = api.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    private static double increase(
            PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private String status(String runId) {
        return api.awaitFinal(runId).get("status").asString();
    }

    private JsonNode awaitStatus(String runId, String status) {
        return await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> api.run(runId),
                        run -> status.equals(run.get("status").asString()));
    }

    private HttpResponse<String> cancel(String runId) {
        return api.post("/api/v1/runs/" + runId + "/cancel", "application/json", "{\"reason\":\"metrics test\"}");
    }
}
