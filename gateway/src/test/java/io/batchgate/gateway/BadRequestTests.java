package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Every bad request gets the right status and an RFC 9457 problem with a batchgate type — and
 * none of them creates a run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTests extends GatewayIntegrationTests {

    private static final String TRIGGER_HELLO = "/api/v1/jobs/hello/runs";
    private static final String TRIGGER_TYPED = "/api/v1/jobs/typed/runs";

    @Autowired
    JdbcClient jdbc;

    private long runsBefore;

    @BeforeAll
    void countRuns() {
        runsBefore = runCount();
    }

    @AfterAll
    void noRunWasCreated() {
        assertThat(runCount()).isEqualTo(runsBefore);
    }

    private long runCount() {
        return jdbc.sql("SELECT COUNT(*) FROM bg_run").query(Long.class).single();
    }

    private static Arguments bad(
            String name, Function<ApiClient, HttpResponse<String>> call, int status, String type, String detailPart) {
        return Arguments.of(name, call, status, type, detailPart);
    }

    private static HttpResponse<String> json(ApiClient api, String path, String body) {
        return api.post(path, "application/json", body);
    }

    private static HttpResponse<String> form(ApiClient api, String path, String body) {
        return api.post(path, "application/x-www-form-urlencoded", body);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad(
                        "no token",
                        api -> api.send(HttpRequest.newBuilder(
                                        api.request(TRIGGER_HELLO).build().uri())
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build()),
                        401,
                        "unauthorized",
                        "Bearer"),
                bad(
                        "wrong token",
                        api -> api.send(HttpRequest.newBuilder(
                                        api.request(TRIGGER_HELLO).build().uri())
                                .header("Authorization", "Bearer nope-nope-nope-nope")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build()),
                        401,
                        "unauthorized",
                        "valid token"),
                bad(
                        "basic auth instead of bearer",
                        api -> api.send(HttpRequest.newBuilder(
                                        api.request(TRIGGER_HELLO).build().uri())
                                .header("Authorization", "Basic dXNlcjpwYXNz")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build()),
                        401,
                        "unauthorized",
                        "Bearer"),
                bad(
                        "unknown job",
                        api -> form(api, "/api/v1/jobs/no-such-job/runs", ""),
                        404,
                        "unknown-job",
                        "no job 'no-such-job'"),
                bad(
                        "job without a target for this runtime",
                        api -> form(api, "/api/v1/jobs/ecs-only/runs", ""),
                        409,
                        "job-not-runnable",
                        "no 'local' target"),
                bad(
                        "unknown param",
                        api -> form(api, TRIGGER_HELLO, "SALUTATION=hi"),
                        400,
                        "invalid-params",
                        "SALUTATION"),
                bad("missing required param", api -> form(api, TRIGGER_TYPED, ""), 400, "invalid-params", "NUMBER"),
                bad(
                        "int param not a number",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=ten"),
                        400,
                        "invalid-params",
                        "NUMBER"),
                bad(
                        "int param above max",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=11"),
                        400,
                        "invalid-params",
                        "NUMBER"),
                bad(
                        "bool param not true/false",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=1&FLAG=yes"),
                        400,
                        "invalid-params",
                        "FLAG"),
                bad(
                        "date param not a date",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=1&DAY=2026-02-30"),
                        400,
                        "invalid-params",
                        "DAY"),
                bad(
                        "enum param not a value",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=1&MODE=partial"),
                        400,
                        "invalid-params",
                        "MODE"),
                bad(
                        "pattern violated",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=1&NAME=Robert%27);DROP"),
                        400,
                        "invalid-params",
                        "NAME"),
                bad(
                        "longer than maxLength",
                        api -> form(api, TRIGGER_TYPED, "NUMBER=1&NAME=abcdefghijk"),
                        400,
                        "invalid-params",
                        "NAME"),
                bad(
                        "pattern violated in the hello greeting",
                        api -> json(api, TRIGGER_HELLO, "{\"params\":{\"GREETING\":\"$(rm -rf /)\"}}"),
                        400,
                        "invalid-params",
                        "GREETING"),
                bad(
                        "malformed JSON",
                        api -> json(api, TRIGGER_HELLO, "{\"params\":{"),
                        400,
                        "malformed-request",
                        "cannot be parsed"),
                bad(
                        "JSON array body",
                        api -> json(api, TRIGGER_HELLO, "[1,2]"),
                        400,
                        "malformed-request",
                        "must be an object"),
                bad(
                        "JSON unknown top-level field",
                        api -> json(api, TRIGGER_HELLO, "{\"parameters\":{}}"),
                        400,
                        "malformed-request",
                        "Unknown field 'parameters'"),
                bad(
                        "JSON nested value",
                        api -> json(api, TRIGGER_HELLO, "{\"params\":{\"GREETING\":{\"a\":1}}}"),
                        400,
                        "malformed-request",
                        "must be a string, number or boolean"),
                bad(
                        "JSON duplicate key",
                        api -> json(api, TRIGGER_HELLO, "{\"params\":{\"GREETING\":\"Hi\",\"GREETING\":\"Yo\"}}"),
                        400,
                        "malformed-request",
                        "cannot be parsed"),
                bad(
                        "JSON trailing garbage",
                        api -> json(api, TRIGGER_HELLO, "{\"params\":{}} {}"),
                        400,
                        "malformed-request",
                        "cannot be parsed"),
                bad(
                        "param given twice",
                        api -> form(api, TRIGGER_HELLO, "GREETING=Hi&GREETING=Yo"),
                        400,
                        "malformed-request",
                        "more than once"),
                bad(
                        "param in query and body",
                        api -> form(api, TRIGGER_HELLO + "?GREETING=Hi", "GREETING=Yo"),
                        400,
                        "malformed-request",
                        "more than once"),
                bad(
                        "unknown lower-case control parameter",
                        api -> form(api, TRIGGER_HELLO + "?foo=1", ""),
                        400,
                        "malformed-request",
                        "Unknown control parameter 'foo'"),
                bad(
                        "bad percent-encoding",
                        api -> form(api, TRIGGER_HELLO, "GREETING=%zz"),
                        400,
                        "malformed-request",
                        "percent-encoding"),
                bad(
                        "invalid UTF-8",
                        api -> form(api, TRIGGER_HELLO, "GREETING=%C3%28"),
                        400,
                        "malformed-request",
                        "not valid UTF-8"),
                bad(
                        "wrong content type",
                        api -> api.post(TRIGGER_HELLO, "text/plain", "GREETING=Hi"),
                        415,
                        "unsupported-media-type",
                        "text/plain"),
                bad(
                        "body without content type",
                        api -> api.post(TRIGGER_HELLO, null, "GREETING=Hi"),
                        415,
                        "unsupported-media-type",
                        "Content-Type"),
                bad(
                        "non-UTF-8 charset",
                        api -> api.post(TRIGGER_HELLO, "application/json; charset=ISO-8859-1", "{}"),
                        415,
                        "unsupported-media-type",
                        "UTF-8"),
                bad(
                        "body over 64 KiB",
                        api -> form(api, TRIGGER_HELLO, "GREETING=" + "a".repeat(70_000)),
                        413,
                        "body-too-large",
                        "65536 bytes"),
                bad(
                        "bad Idempotency-Key",
                        api -> api.send(api.request(TRIGGER_HELLO)
                                .header("Idempotency-Key", "has spaces in it")
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build()),
                        400,
                        "malformed-request",
                        "Idempotency-Key"),
                // GET there lists the job's runs (its links.runs); other methods are refused
                bad(
                        "DELETE on the trigger path",
                        api -> api.send(api.request(TRIGGER_HELLO).DELETE().build()),
                        405,
                        "method-not-allowed",
                        ""),
                bad(
                        "status of an unknown run",
                        api -> api.get("/api/v1/runs/0190b4e4-0000-7000-8000-000000000000"),
                        404,
                        "run-not-found",
                        "no run"),
                bad(
                        "status with a malformed run id",
                        api -> api.get("/api/v1/runs/..%2f..%2fetc"),
                        400,
                        "bad-request",
                        ""),
                bad(
                        "status with a non-UUID id",
                        api -> api.get("/api/v1/runs/not-a-run"),
                        404,
                        "run-not-found",
                        "not a run id"),
                bad(
                        "history with a bad status",
                        api -> api.get("/api/v1/runs?status=DONE"),
                        400,
                        "malformed-request",
                        "'status'"),
                bad(
                        "history with a bad limit",
                        api -> api.get("/api/v1/runs?limit=100000"),
                        400,
                        "malformed-request",
                        "'limit'"),
                bad(
                        "history with an unknown filter",
                        api -> api.get("/api/v1/runs?owner=me"),
                        400,
                        "malformed-request",
                        "owner"),
                bad(
                        "history with a bad cursor",
                        api -> api.get("/api/v1/runs?cursor=zzz"),
                        400,
                        "malformed-request",
                        "cursor"),
                bad("unknown API path", api -> api.get("/api/v1/nothing-here"), 404, "not-found", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isAnsweredWithAProblem(
            String name, Function<ApiClient, HttpResponse<String>> call, int status, String type, String detailPart) {
        HttpResponse<String> response = call.apply(api);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(contentType -> assertThat(contentType).startsWith("application/problem+json"));
        JsonNode problem = api.json(response);
        assertThat(problem.get("type").asString()).isEqualTo("/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        if (!detailPart.isEmpty()) {
            assertThat(problem.get("detail").asString()).contains(detailPart);
        }
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain("at io.batchgate")
                .doesNotContain("SQL");
    }
}
