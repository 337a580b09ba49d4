package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Each run records how it came to be beside who asked: {@code api} for an HTTP trigger, {@code
 * jobctl} when jobctl sends it; shown in its status and in the audit record of its trigger.
 */
class RunSourceTests extends GatewayIntegrationTests {

    @TempDir
    Path work;

    @Test
    void anHttpTriggerIsFromTheApi() {
        String runId = api.trigger("hello", Map.of());

        assertThat(api.run(runId).get("source").asString()).isEqualTo("api");
        assertThat(auditOf(runId).get("runSource").asString()).isEqualTo("api");
    }

    @Test
    void jobctlSaysItIsJobctl() {
        Jobctl.Result result = new Jobctl(work, port, TestCaller.JOBCTL.token()).run("run", "hello", "--wait");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(api.run(result.runId()).get("source").asString()).isEqualTo("jobctl");
        assertThat(auditOf(result.runId()).get("runSource").asString()).isEqualTo("jobctl");
    }

    /** The console, schedules and job nets are not HTTP clients: no caller may claim to be one. */
    @Test
    void otherSourcesAreRefusedOverHttp() {
        HttpResponse<String> response = api.send(api.request("/api/v1/jobs/hello/runs")
                .header("Trigger-Source", "schedule:nightly@2026-12-03T02:00:00Z")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(api.json(response).get("type").asString()).endsWith("malformed-request");
    }

    private JsonNode auditOf(String runId) {
        HttpResponse<String> response = api.get("/api/v1/audit?runId=" + runId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode records = api.json(response).get("records");
        assertThat(records.size()).as(records.toString()).isEqualTo(1);
        return records.get(0);
    }
}
