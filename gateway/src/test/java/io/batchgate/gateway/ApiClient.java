package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Drives the HTTP API the way a caller does: real port, real JSON. */
public class ApiClient {

    private final int port;
    private final HttpClient http = GatewayTestSupport.http();
    private final JsonMapper json = JsonMapper.builder().build();

    public ApiClient(int port) {
        this.port = port;
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> get(String path) {
        return GatewayTestSupport.send(
                http, GatewayTestSupport.request(port, path).GET().build());
    }

    public HttpResponse<String> post(String path, String contentType, String body) {
        HttpRequest.Builder request = GatewayTestSupport.request(port, path);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return GatewayTestSupport.send(
                http, request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        return GatewayTestSupport.send(http, request);
    }

    public HttpRequest.Builder request(String path) {
        return GatewayTestSupport.request(port, path);
    }

    /** Triggers a job with JSON params and returns the new run's id (asserting 202). */
    public String trigger(String job, Map<String, String> params) {
        HttpResponse<String> response = post(
                "/api/v1/jobs/" + job + "/runs", "application/json", json.writeValueAsString(Map.of("params", params)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).get("runId").asString();
    }

    public JsonNode run(String runId) {
        HttpResponse<String> response = get("/api/v1/runs/" + runId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    public JsonNode awaitFinal(String runId) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> run(runId), run -> java.util.Set.of(
                                "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED")
                        .contains(run.get("status").asString()));
    }

    public String logs(String runId) {
        HttpResponse<String> response = get("/api/v1/runs/" + runId + "/logs");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    public JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }
}
