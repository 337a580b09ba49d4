package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Execution keys (a scheduler's execution: JP1's AJSEXECID) against idempotency keys (one call):
 * a re-execution after a failure starts a new run, a resent call never does.
 */
class ExecutionKeyTests extends GatewayIntegrationTests {

    private HttpResponse<String> trigger(String executionKey, String idempotencyKey, String code) {
        HttpRequest.Builder request = api.request("/api/v1/jobs/exit-with/runs")
                .header("Content-Type", "application/json")
                .header("Execution-Key", executionKey);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return api.send(request.POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"CODE\":\"" + code + "\"}}"))
                .build());
    }

    @Test
    void aReExecutionAfterAFailureStartsANewRunLinkedToTheFailedOne() {
        HttpResponse<String> first = trigger("exec-1", "call-1", "5");
        assertThat(first.statusCode()).isEqualTo(202);
        String failed = api.json(first).get("runId").asString();
        assertThat(api.awaitFinal(failed).get("status").asString()).isEqualTo("FAILED");

        HttpResponse<String> again = trigger("exec-1", "call-2", "5");
        assertThat(again.statusCode()).isEqualTo(202);
        JsonNode rerun = api.json(again);
        assertThat(rerun.get("runId").asString()).isNotEqualTo(failed);
        assertThat(rerun.get("rerunOf").asString()).isEqualTo(failed);
    }

    @Test
    void aResentCallWhoseRunFailedMeanwhileGetsThatRunNotANewOne() {
        HttpResponse<String> first = trigger("exec-2", "call-A", "5");
        String failed = api.json(first).get("runId").asString();
        api.awaitFinal(failed);
        // the answer to call-A was lost; jobctl sends the very same call again
        HttpResponse<String> resent = trigger("exec-2", "call-A", "5");
        assertThat(resent.statusCode()).isEqualTo(200);
        assertThat(api.json(resent).get("runId").asString()).isEqualTo(failed);
        assertThat(api.json(resent).get("replayed").asBoolean()).isTrue();
    }

    @Test
    void anActiveOrSucceededExecutionIsReturnedNotStartedAgain() {
        HttpResponse<String> first = trigger("exec-3", null, "0");
        String runId = api.json(first).get("runId").asString();
        HttpResponse<String> whileActive = trigger("exec-3", null, "0");
        assertThat(api.json(whileActive).get("runId").asString()).isEqualTo(runId);
        assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");
        HttpResponse<String> afterSuccess = trigger("exec-3", null, "0");
        assertThat(afterSuccess.statusCode()).isEqualTo(200);
        assertThat(api.json(afterSuccess).get("runId").asString()).isEqualTo(runId);
        HttpResponse<String> otherParams = trigger("exec-3", null, "1");
        assertThat(otherParams.statusCode()).isEqualTo(409);
    }
}
