package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** curl → gateway → ElasticMQ → runner → real process → status and logs, over a real port. */
class EndToEndTests extends GatewayIntegrationTests {

    @Autowired
    JobRepository jobRepository;

    @Test
    void helloRunsToSuccessAndItsLogHoldsTheParam() {
        HttpResponse<String> accepted =
                api.post("/api/v1/jobs/hello/runs", "application/x-www-form-urlencoded", "GREETING=Bonjour");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode body = api.json(accepted);
        String runId = body.get("runId").asString();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/runs/" + runId);
        assertThat(body.get("job").asString()).isEqualTo("hello");
        assertThat(body.get("status").asString()).isEqualTo("QUEUED");
        assertThat(body.get("links").get("self").asString()).isEqualTo("/api/v1/runs/" + runId);

        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(run.get("warning").asBoolean()).isFalse();
        assertThat(run.get("requestedBy").asString()).isEqualTo("ci");
        assertThat(run.get("params").get("GREETING").asString()).isEqualTo("Bonjour");
        assertThat(run.get("startedAt").isNull()).isFalse();
        assertThat(run.get("finishedAt").isNull()).isFalse();
        assertThat(run.get("attempts")).hasSize(1);
        assertThat(run.get("attempts").get(0).get("exitCode").asInt()).isZero();
        assertThat(run.get("attempts").get(0).get("outcome").asString()).isEqualTo("EXITED");
        assertThat(run.get("timeline")
                        .valueStream()
                        .map(entry -> entry.get("to").asString())
                        .toList())
                .containsExactly("QUEUED", "LAUNCHING", "RUNNING", "SUCCEEDED");

        assertThat(api.logs(runId)).contains("Bonjour").contains("run " + runId);
    }

    @Test
    void aFailingExitCodeFailsTheRunWithThatCode() {
        String runId = api.trigger("exit-with", Map.of("CODE", "3"));
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("exitCode").asInt()).isEqualTo(3);
        assertThat(run.get("reason").asString()).isEqualTo("exit code 3 is a failure");
        assertThat(api.logs(runId)).contains("exiting with 3");
    }

    @Test
    void aWarningCodeSucceedsWithTheWarningFlag() {
        JsonNode run = api.awaitFinal(api.trigger("exit-with", Map.of("CODE", "1")));
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("exitCode").asInt()).isEqualTo(1);
        assertThat(run.get("warning").asBoolean()).isTrue();
    }

    @Test
    void paramsComeByQueryStringToo() {
        HttpResponse<String> accepted = api.send(api.request("/api/v1/jobs/exit-with/runs?CODE=255")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode run = api.awaitFinal(api.json(accepted).get("runId").asString());
        assertThat(run.get("exitCode").asInt()).isEqualTo(255);
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
    }

    @Test
    void eachAttemptIsASpringBatchJobExecutionCarryingTheExitCode() {
        String runId = api.trigger("exit-with", Map.of("CODE", "3"));
        JsonNode run = api.awaitFinal(runId);
        long executionId = run.get("attempts").get(0).get("jobExecutionId").asLong();
        JobExecution execution = jobRepository.getJobExecution(executionId);
        assertThat(execution.getJobInstance().getJobName()).isEqualTo("exit-with");
        assertThat(execution.getJobParameters().getString("batchgate.runId")).isEqualTo(runId);
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription()).isEqualTo("exit code 3");
        assertThat(execution.getExecutionContext().getInt("batchgate.exitCode")).isEqualTo(3);
    }

    @Test
    void secretsAreNeverShownBack() {
        String runId = api.trigger("typed", Map.of("NUMBER", "2", "PASSWORD", "hunter2hunter2"));
        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("params").get("PASSWORD").asString()).isEqualTo("******");
        assertThat(api.get("/api/v1/runs/" + runId).body()).doesNotContain("hunter2");
        assertThat(api.get("/api/v1/runs?job=typed").body()).doesNotContain("hunter2");
    }

    @Test
    void historyPagesNewestFirstAndFilters() {
        String first = api.trigger("exit-with", Map.of("CODE", "0"));
        String second = api.trigger("exit-with", Map.of("CODE", "0"));
        api.awaitFinal(first);
        api.awaitFinal(second);
        JsonNode page = api.json(api.get("/api/v1/runs?job=exit-with&limit=1"));
        assertThat(page.get("runs")).hasSize(1);
        assertThat(page.get("runs").get(0).get("runId").asString()).isEqualTo(second);
        String next = page.get("next").asString();
        assertThat(next).startsWith("/api/v1/runs?job=exit-with&limit=1&cursor=");
        JsonNode nextPage = api.json(api.get(next));
        assertThat(nextPage.get("runs").get(0).get("runId").asString()).isEqualTo(first);
        JsonNode failed = api.json(api.get("/api/v1/runs?status=FAILED&limit=500"));
        assertThat(failed.get("runs")
                        .valueStream()
                        .map(r -> r.get("status").asString())
                        .distinct()
                        .toList())
                .containsOnly("FAILED");
    }

    @Test
    void theCatalogIsShownWithItsVersion() {
        JsonNode jobs = api.json(api.get("/api/v1/jobs"));
        assertThat(jobs.get("version").asString()).matches("(git|sha256):.+");
        assertThat(jobs.get("jobs")
                        .valueStream()
                        .map(job -> job.get("name").asString())
                        .toList())
                .contains("hello", "exit-with", "sleep", "nightly-billing");
        JsonNode hello = api.json(api.get("/api/v1/jobs/hello"));
        assertThat(hello.get("runtime").asString()).isEqualTo("local");
        assertThat(hello.get("params").get(0).get("name").asString()).isEqualTo("GREETING");
        assertThat(hello.get("params").get(0).get("default").asString()).isEqualTo("Hello");
        JsonNode ecsOnly = api.json(api.get("/api/v1/jobs/ecs-only"));
        assertThat(ecsOnly.get("notRunnable").asString()).contains("no 'local' target");
    }

    @Test
    void anIdempotencyKeyReplaysTheSameRunAndRefusesOtherParams() {
        HttpRequest.Builder first =
                api.request("/api/v1/jobs/exit-with/runs?CODE=0").header("Idempotency-Key", "nightly-2026-11-23");
        HttpResponse<String> created =
                api.send(first.POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(created.statusCode()).isEqualTo(202);
        HttpResponse<String> replayed = api.send(api.request("/api/v1/jobs/exit-with/runs?CODE=0")
                .header("Idempotency-Key", "nightly-2026-11-23")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(api.json(replayed).get("runId").asString())
                .isEqualTo(api.json(created).get("runId").asString());
        HttpResponse<String> conflict = api.send(api.request("/api/v1/jobs/exit-with/runs?CODE=4")
                .header("Idempotency-Key", "nightly-2026-11-23")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(api.json(conflict).get("type").asString()).isEqualTo("/problems/idempotency-key-reused");
    }

    @Test
    void theIdempotencyKeyMayComeAsAJsonFieldToo() {
        String body = "{\"params\":{\"CODE\":\"0\"},\"idempotencyKey\":\"json-key-1\"}";
        HttpResponse<String> created = api.post("/api/v1/jobs/exit-with/runs", "application/json", body);
        assertThat(created.statusCode()).isEqualTo(202);
        HttpResponse<String> replayed = api.send(api.request("/api/v1/jobs/exit-with/runs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "json-key-1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(api.json(replayed).get("runId").asString())
                .isEqualTo(api.json(created).get("runId").asString());
        HttpResponse<String> differing = api.send(api.request("/api/v1/jobs/exit-with/runs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "another-key")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(differing.statusCode()).isEqualTo(400);
        assertThat(api.json(differing).get("detail").asString()).contains("differ");
    }

    @Test
    void healthAndPrometheusAreServed() {
        HttpResponse<String> health =
                api.send(api.request("/actuator/health").GET().build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> metrics =
                api.send(api.request("/actuator/prometheus").GET().build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        // lock conflicts retried by the application's transactions (README, "Run policies")
        assertThat(metrics.body()).contains("batchgate_db_retries_total");
    }
}
