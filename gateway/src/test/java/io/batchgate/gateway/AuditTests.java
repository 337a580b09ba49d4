package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.audit.ParamsDigest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every trigger, cancel and refused call leaves an audit record — who, from where, what, which run,
 * how it ended, and a digest of the parameters in which secrets were masked first.
 */
class AuditTests extends GatewayIntegrationTests {

    private static final String SECRET = "hunter2-correct-horse";

    @Autowired
    JdbcClient jdbc;

    @Test
    void anAcceptedTriggerIsAuditedWithItsRunAndAMaskedDigest() {
        Map<String, String> params = Map.of("NUMBER", "3", "PASSWORD", SECRET);
        String runId = api.trigger("typed", params);
        JsonNode record = latest("runId=" + runId);
        assertThat(record.get("caller").asString()).isEqualTo("ci");
        assertThat(record.get("source").asString()).isEqualTo("127.0.0.1");
        assertThat(record.get("action").asString()).isEqualTo("TRIGGER");
        assertThat(record.get("target").asString()).isEqualTo("POST /api/v1/jobs/typed/runs");
        assertThat(record.get("job").asString()).isEqualTo("typed");
        assertThat(record.get("httpStatus").asInt()).isEqualTo(202);
        assertThat(record.get("outcome").asString()).isEqualTo("accepted");
        // over the parameters as bound (defaults included), the secret masked first
        Map<String, String> bound = new java.util.HashMap<>();
        api.run(runId)
                .get("params")
                .properties()
                .forEach(e -> bound.put(e.getKey(), e.getValue().asString()));
        assertThat(bound).containsEntry("MODE", "full").containsEntry("PASSWORD", "******");
        String expected = ParamsDigest.of(bound, Set.of("PASSWORD"));
        bound.put("PASSWORD", SECRET);
        assertThat(record.get("paramsSha256").asString())
                .isEqualTo(expected)
                .isEqualTo(ParamsDigest.of(bound, Set.of("PASSWORD")));
        bound.put("NUMBER", "4");
        assertThat(record.get("paramsSha256").asString()).isNotEqualTo(ParamsDigest.of(bound, Set.of("PASSWORD")));
        assertThat(allAuditText()).doesNotContain(SECRET);
    }

    @Test
    void replaysRefusalsAndCancelsAreAuditedToo() {
        HttpResponse<String> first = api.send(api.request("/api/v1/jobs/hello/runs")
                .header("Idempotency-Key", "audit-replay-1")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        String runId = api.json(first).get("runId").asString();
        api.send(api.request("/api/v1/jobs/hello/runs")
                .header("Idempotency-Key", "audit-replay-1")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(records("runId=" + runId))
                .extracting(r -> r.get("outcome").asString())
                .containsExactly("replayed", "accepted");

        api.post("/api/v1/jobs/typed/runs", "application/json", "{\"params\":{\"NUMBER\":\"eleven\"}}");
        JsonNode invalid = latest("job=typed");
        assertThat(invalid.get("httpStatus").asInt()).isEqualTo(400);
        assertThat(invalid.get("outcome").asString()).isEqualTo("invalid-params");
        assertThat(invalid.get("runId").isNull()).isTrue();

        api.awaitFinal(runId);
        api.post("/api/v1/runs/" + runId + "/cancel", null, "");
        JsonNode cancel = records("runId=" + runId).get(0);
        assertThat(cancel.get("action").asString()).isEqualTo("CANCEL");
        assertThat(cancel.get("httpStatus").asInt()).isEqualTo(409);
        assertThat(cancel.get("outcome").asString()).isEqualTo("run-finished");
    }

    @Test
    void callsWithoutAValidTokenOrOutsideTheirScopesAreAudited() {
        HttpResponse<String> anonymous = api.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/nightly-billing/runs"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        JsonNode unauthorized = latest("job=nightly-billing");
        assertThat(unauthorized.get("caller").isNull()).isTrue();
        assertThat(unauthorized.get("outcome").asString()).isEqualTo("unauthorized");

        HttpResponse<String> reading =
                api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/nightly-billing"))
                        .header("Authorization", "Bearer " + TestCaller.HELLO.token())
                        .GET()
                        .build());
        assertThat(reading.statusCode()).isEqualTo(403);
        JsonNode forbidden = latest("caller=hello-only");
        assertThat(forbidden.get("action").asString()).isEqualTo("REQUEST");
        assertThat(forbidden.get("target").asString()).isEqualTo("GET /api/v1/jobs/nightly-billing");
        assertThat(forbidden.get("outcome").asString()).isEqualTo("forbidden");
    }

    @Test
    void aCallerOverItsTriggerRateGets429WithRetryAfterAndIsAudited() {
        HttpResponse<String> last = null;
        int accepted = 0;
        for (int i = 0; i < 6; i++) {
            last = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/hello/runs"))
                    .header("Authorization", "Bearer " + TestCaller.LIMITED.token())
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
            if (last.statusCode() == 202) {
                accepted++;
            }
        }
        assertThat(accepted).isBetween(3, 4); // a burst of 3, plus at most one refilled meanwhile
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
        assertThat(last.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(latest("caller=limited").get("outcome").asString()).isEqualTo("rate-limited");
    }

    @Test
    void theTrailIsPagedNewestFirst() {
        for (int i = 0; i < 3; i++) {
            api.trigger("hello", Map.of());
        }
        HttpResponse<String> first = api.get("/api/v1/audit?job=hello&limit=2");
        JsonNode page = api.json(first);
        assertThat(page.get("records")).hasSize(2);
        long newest = page.get("records").get(0).get("id").asLong();
        long next = page.get("records").get(1).get("id").asLong();
        assertThat(newest).isGreaterThan(next);
        JsonNode second = api.json(api.get(page.get("next").asString()));
        assertThat(second.get("records").get(0).get("id").asLong()).isLessThan(next);
        assertThat(api.get("/api/v1/audit?limit=0").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit?cursor=abc").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit?bogus=1").statusCode()).isEqualTo(400);
    }

    private List<JsonNode> records(String filter) {
        HttpResponse<String> response = api.get("/api/v1/audit?" + filter);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> records = new java.util.ArrayList<>();
        api.json(response).get("records").forEach(records::add);
        return records;
    }

    private JsonNode latest(String filter) {
        List<JsonNode> records = records(filter + "&limit=1");
        assertThat(records).as("audit records for " + filter).isNotEmpty();
        return records.get(0);
    }

    private String allAuditText() {
        return String.join(
                "\n",
                jdbc.sql("SELECT CONCAT(COALESCE(caller, ''), '|', source, '|', action, '|', target, '|',"
                                + " COALESCE(job, ''), '|', COALESCE(run_id, ''), '|', outcome, '|',"
                                + " COALESCE(params_sha256, '')) FROM bg_audit")
                        .query(String.class)
                        .list());
    }
}
