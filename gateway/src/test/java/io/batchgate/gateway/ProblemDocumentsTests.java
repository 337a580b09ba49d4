package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.gateway.problem.ProblemWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every answer of the API is a valid document: problems are RFC 9457 with each member once (an
 * extension never reuses a standard member's name), and JSON answers end with a newline.
 */
class ProblemDocumentsTests extends GatewayIntegrationTests {

    /** Refuses a member given twice, where most parsers silently keep the last one. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @Test
    void cancellingAFinishedRunNamesItsStatusApartFromTheProblemsStatus() {
        String runId = api.trigger("hello", Map.of());
        api.awaitFinal(runId);
        HttpResponse<String> response = api.post("/api/v1/runs/" + runId + "/cancel", "application/json", "{}");
        JsonNode problem = strictProblem(response, 409);
        assertThat(problem.get("type").asString()).isEqualTo("/problems/run-finished");
        assertThat(problem.get("runStatus").asString()).isEqualTo("SUCCEEDED");
    }

    /** The problems the suite can provoke cheaply, each parsed strictly. */
    @Test
    void everyProblemIsValidRfc9457() {
        String runId = api.trigger("hello", Map.of());
        api.awaitFinal(runId);
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(api.post("/api/v1/runs/" + runId + "/cancel", "application/json", "{}")); // 409 runStatus
        answers.add(api.post("/api/v1/jobs/no-such-job/runs", "application/json", "{}")); // 404
        answers.add(api.post("/api/v1/jobs/typed/runs", "application/json", "{\"params\":{\"NUMBER\":\"x\"}}"));
        answers.add(api.post("/api/v1/jobs/typed/runs", "multipart/form-data", "NUMBER=3")); // 415
        answers.add(api.get("/api/v1/runs/not-a-run")); // 404
        answers.add(api.get("/api/v1/runs?limit=0")); // 400
        answers.add(api.send(api.request("/api/v1/runs").DELETE().build())); // 405, Spring MVC's own
        answers.add(api.send(api.request("/api/v1/runs/a%2Fb").GET().build())); // 400, Tomcat's own
        answers.add(api.send(
                HttpRequest.newBuilder(api.request("/api/v1/runs").build().uri())
                        .GET()
                        .build())); // 401, from the auth filter
        String key = "problem-doc-" + System.nanoTime();
        answers.add(api.send(api.request("/api/v1/jobs/hello/runs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"GREETING\":\"Hi\"}}"))
                .build()));
        answers.add(api.send(api.request("/api/v1/jobs/hello/runs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"params\":{\"GREETING\":\"Ho\"}}"))
                .build())); // 409 runId
        List<Integer> statuses = new ArrayList<>();
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() >= 400) {
                strictProblem(answer, answer.statusCode());
                statuses.add(answer.statusCode());
            }
        }
        assertThat(statuses).containsExactly(409, 404, 400, 415, 404, 400, 405, 400, 401, 409);
    }

    /** The one place that builds problems refuses an extension named like a standard member. */
    @Test
    void anExtensionNamedLikeAStandardMemberIsRefused() {
        for (String clash : ProblemWriter.STANDARD_MEMBERS) {
            assertThatThrownBy(() -> ProblemWriter.detail(
                            HttpStatus.CONFLICT, "run-finished", "Run already finished", "d", Map.of(clash, "x"), "/p"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + clash + "'");
        }
        assertThat(ProblemWriter.detail(
                                HttpStatus.CONFLICT, "run-finished", "t", "d", Map.of("runStatus", "FAILED"), "/p")
                        .getProperties())
                .containsEntry("runStatus", "FAILED");
    }

    /** curl's output ends its line: every JSON answer ends with a newline. */
    @Test
    void jsonAnswersEndWithANewline() {
        String runId = api.trigger("hello", Map.of());
        HttpResponse<String> triggered = api.post("/api/v1/jobs/hello/runs", "application/json", "{}");
        assertThat(triggered.body()).endsWith("}\n");
        assertThat(api.get("/api/v1/runs/" + runId + "?wait=10").body()).endsWith("}\n");
        assertThat(api.get("/api/v1/runs?job=hello&limit=1").body()).endsWith("}\n");
        assertThat(api.get("/api/v1/jobs").body()).endsWith("}\n");
        assertThat(api.get("/api/v1/jobs/hello").body()).endsWith("}\n");
        assertThat(STRICT.readTree(api.get("/api/v1/jobs/hello").body()).isObject())
                .isTrue();
    }

    /** A job's {@code links.runs} answers GET with that job's runs (it answered 405). */
    @Test
    void theRunsLinkOfAJobListsItsRuns() {
        String runId = api.trigger("hello", Map.of());
        String link =
                api.json(api.get("/api/v1/jobs/hello")).get("links").get("runs").asString();
        HttpResponse<String> page = api.get(link);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        JsonNode runs = STRICT.readTree(page.body()).get("runs");
        assertThat(runs.get(0).get("runId").asString()).isEqualTo(runId);
        assertThat(runs).allSatisfy(run -> assertThat(run.get("job").asString()).isEqualTo("hello"));
        assertThat(api.get(link + "?status=QUEUED&limit=1").statusCode()).isEqualTo(200);
        assertThat(api.get(link + "?job=exit-with").statusCode()).isEqualTo(400);
    }

    private static JsonNode strictProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(response.body())
                .startsWith("application/problem+json");
        assertThat(response.body()).as("ends with a newline").endsWith("}\n");
        JsonNode problem = STRICT.readTree(response.body());
        assertThat(problem.get("status").isNumber()).as(response.body()).isTrue();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).startsWith("/problems/");
        assertThat(problem.get("title").asString()).isNotBlank();
        return problem;
    }
}
