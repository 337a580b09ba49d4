package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Callers × jobs × actions, each with the status it must get. A caller outside its scopes gets 403
 * whether the job exists or not (so scopes never reveal the catalog); a missing or unknown token
 * gets 401; both as problem+json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTests extends GatewayIntegrationTests {

    private static final String ADMIN = "ci";
    private static final String NO_TOKEN = "(no token)";
    private static final String BAD_TOKEN = "(unknown token)";

    /** What each caller may do, written out by hand: trigger/read/cancel per job, and the rest. */
    private static final Map<String, Map<String, Set<String>>> ALLOWED = Map.of(
            ADMIN,
            Map.of(
                    "hello",
                    Set.of("trigger", "read", "cancel"),
                    "nightly-billing",
                    Set.of("trigger", "read", "cancel"),
                    "nightly-unknown",
                    Set.of("trigger", "read", "cancel")),
            "reader",
            Map.of("hello", Set.of("read"), "nightly-billing", Set.of("read"), "nightly-unknown", Set.of("read")),
            "nightly-ops",
            Map.of(
                    "hello",
                    Set.of(),
                    "nightly-billing",
                    Set.of("trigger", "read", "cancel"),
                    "nightly-unknown",
                    Set.of("trigger", "read", "cancel")),
            "hello-only",
            Map.of("hello", Set.of("trigger", "read"), "nightly-billing", Set.of(), "nightly-unknown", Set.of()),
            "canceller",
            Map.of(
                    "hello",
                    Set.of("read", "cancel"),
                    "nightly-billing",
                    Set.of("read", "cancel"),
                    "nightly-unknown",
                    Set.of("read", "cancel")),
            "metrics",
            Map.of("hello", Set.of(), "nightly-billing", Set.of(), "nightly-unknown", Set.of()));

    private final Map<String, String> finishedRuns = new java.util.HashMap<>();

    @BeforeAll
    void oneFinishedRunPerExistingJob() {
        ApiClient admin = new ApiClient(port);
        finishedRuns.put("hello", admin.trigger("hello", Map.of()));
        finishedRuns.put("nightly-billing", admin.trigger("nightly-billing", Map.of("BUSINESS_DATE", "2026-11-23")));
        finishedRuns.values().forEach(admin::awaitFinal);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cells = new ArrayList<>();
        List<String> callers = new ArrayList<>(ALLOWED.keySet());
        callers.add(NO_TOKEN);
        callers.add(BAD_TOKEN);
        for (String caller : callers) {
            for (String job : List.of("hello", "nightly-billing", "nightly-unknown")) {
                for (String action : List.of("trigger", "read-run", "read-logs", "cancel", "list-runs", "job")) {
                    boolean exists = !job.equals("nightly-unknown");
                    if (!exists && Set.of("read-run", "read-logs", "cancel").contains(action)) {
                        continue; // no run of a job that does not exist
                    }
                    cells.add(Arguments.of(caller, job, action, expected(caller, job, action)));
                }
            }
        }
        return cells.stream();
    }

    private static int expected(String caller, String job, String action) {
        if (caller.equals(NO_TOKEN) || caller.equals(BAD_TOKEN)) {
            return 401;
        }
        Set<String> allowed = ALLOWED.get(caller).get(job);
        boolean exists = !job.equals("nightly-unknown");
        String scope = action.equals("trigger") ? "trigger" : action.equals("cancel") ? "cancel" : "read";
        if (!allowed.contains(scope)) {
            return 403;
        }
        return switch (action) {
            case "trigger", "job" -> exists ? 200 : 404; // trigger is a dry run: nothing starts
            case "cancel" -> 409; // the run already finished: allowed, and refused for that
            default -> 200;
        };
    }

    @ParameterizedTest(name = "{0} {2} {1} -> {3}")
    @MethodSource("matrix")
    void eachCallerGetsExactlyWhatItsScopesAllow(String caller, String job, String action, int status) {
        String run = finishedRuns.get(job);
        HttpRequest.Builder request =
                switch (action) {
                    case "trigger" ->
                        builder(caller, "/api/v1/jobs/" + job + "/runs?dryRun=true")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"params\":{\"BUSINESS_DATE\":\"2026-11-23\"}}"
                                                .replace(
                                                        "BUSINESS_DATE\":\"2026-11-23",
                                                        job.equals("hello")
                                                                ? "GREETING\":\"Hi"
                                                                : "BUSINESS_DATE\":\"2026-11-23")));
                    case "read-run" -> builder(caller, "/api/v1/runs/" + run).GET();
                    case "read-logs" ->
                        builder(caller, "/api/v1/runs/" + run + "/logs").GET();
                    case "cancel" ->
                        builder(caller, "/api/v1/runs/" + run + "/cancel").POST(HttpRequest.BodyPublishers.noBody());
                    case "list-runs" ->
                        builder(caller, "/api/v1/runs?job=" + job).GET();
                    case "job" -> builder(caller, "/api/v1/jobs/" + job).GET();
                    default -> throw new IllegalArgumentException(action);
                };
        HttpResponse<String> response = api.send(request.build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (status == 401 || status == 403) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(response.body())
                    .doesNotContain("nightly-billing' in the catalog")
                    .doesNotContain("no job");
        }
    }

    @Test
    void forbiddenAnswersAreTheSameWhetherTheJobExistsOrNot() {
        HttpResponse<String> existing = api.send(
                builder("hello-only", "/api/v1/jobs/nightly-billing").GET().build());
        HttpResponse<String> missing = api.send(
                builder("hello-only", "/api/v1/jobs/nightly-nothing").GET().build());
        assertThat(existing.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(strip(existing.body(), "nightly-billing")).isEqualTo(strip(missing.body(), "nightly-nothing"));
    }

    @Test
    void listsShowOnlyWhatACallerMayRead() {
        HttpResponse<String> jobs =
                api.send(builder("nightly-ops", "/api/v1/jobs").GET().build());
        List<String> names = new ArrayList<>();
        api.json(jobs).get("jobs").forEach(job -> names.add(job.get("name").asString()));
        assertThat(names).containsExactly("nightly-billing");

        HttpResponse<String> runs =
                api.send(builder("hello-only", "/api/v1/runs?limit=500").GET().build());
        assertThat(runs.statusCode()).isEqualTo(200);
        JsonNode page = api.json(runs).get("runs");
        assertThat(page).isNotEmpty();
        page.forEach(run -> assertThat(run.get("job").asString()).isEqualTo("hello"));

        HttpResponse<String> none =
                api.send(builder("metrics", "/api/v1/runs").GET().build());
        assertThat(none.statusCode()).isEqualTo(403);
    }

    @Test
    void metricsNeedTheMetricsScope() {
        assertThat(api.send(builder("metrics", "/actuator/prometheus").GET().build())
                        .statusCode())
                .isEqualTo(200);
        assertThat(api.send(builder(ADMIN, "/actuator/prometheus").GET().build())
                        .statusCode())
                .isEqualTo(200);
        assertThat(api.send(builder("reader", "/actuator/prometheus").GET().build())
                        .statusCode())
                .isEqualTo(403);
        assertThat(api.send(builder(NO_TOKEN, "/actuator/prometheus").GET().build())
                        .statusCode())
                .isEqualTo(401);
        assertThat(api.send(builder(NO_TOKEN, "/actuator/health").GET().build()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theAuditTrailIsForAdminsOnly() {
        assertThat(api.send(builder(ADMIN, "/api/v1/audit").GET().build()).statusCode())
                .isEqualTo(200);
        for (String caller : List.of("reader", "nightly-ops", "hello-only", "canceller", "metrics")) {
            assertThat(api.send(builder(caller, "/api/v1/audit").GET().build()).statusCode())
                    .isEqualTo(403);
        }
    }

    private static String strip(String body, String job) {
        return body.replace(job, "JOB");
    }

    private HttpRequest.Builder builder(String caller, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        String token =
                switch (caller) {
                    case ADMIN -> GatewayTestSupport.TOKEN;
                    case NO_TOKEN -> null;
                    case BAD_TOKEN -> "not-a-known-token-at-all";
                    default ->
                        Stream.of(TestCaller.values())
                                .filter(known -> known.callerName().equals(caller))
                                .findFirst()
                                .orElseThrow()
                                .token();
                };
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }
}
