package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/schedules} and pause/resume over HTTP, on the sample's nightly-billing
 * schedule (business days of the Tokyo calendar at 25:30): scopes, audit, problem documents.
 */
class SchedulesApiTests extends GatewayIntegrationTests {

    private HttpResponse<String> as(TestCaller caller, String method, String path) {
        return api.send(api.request(path)
                .setHeader("Authorization", "Bearer " + caller.token())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    private JsonNode billing(HttpResponse<String> list) {
        return schedule(list, "nightly-billing");
    }

    private JsonNode schedule(HttpResponse<String> list, String name) {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        for (JsonNode schedule : api.json(list).get("schedules")) {
            if (schedule.get("name").asString().equals(name)) {
                return schedule;
            }
        }
        throw new AssertionError("no " + name + " schedule in " + list.body());
    }

    @Test
    void listsTheSampleNetScheduleWithItsTargetKind() {
        JsonNode close = schedule(api.get("/api/v1/schedules"), "night-close");

        assertThat(close.get("target").get("kind").asString()).isEqualTo("net");
        assertThat(close.get("target").get("name").asString()).isEqualTo("night-close");
        assertThat(close.get("rule").asString()).contains("25:30").contains("jp-business");
        assertThat(close.get("nextFires").get(0).asString()).endsWith("T16:30:00Z");
        assertThat(api.get("/api/v1/schedules/night-close").statusCode()).isEqualTo(200);
    }

    @Test
    void aScheduleNoOneHasPausedNamesNoOneAsHavingPausedIt() {
        // once a scheduler pass has seen it (its state row exists), and no test pauses night-close
        JsonNode seen = await().atMost(Duration.ofMinutes(1))
                .until(() -> schedule(api.get("/api/v1/schedules/night-close")), close -> close.get("catchUp")
                        .has("checkedUntil"));

        assertThat(seen.has("pausedOrResumedBy")).as(seen.toString()).isFalse();
        assertThat(seen.has("pausedOrResumedAt")).as(seen.toString()).isFalse();
    }

    private JsonNode schedule(HttpResponse<String> one) {
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        return api.json(one);
    }

    @Test
    void listsTheSampleScheduleWithItsNextFires() {
        JsonNode billing = billing(api.get("/api/v1/schedules"));

        assertThat(billing.get("timeZone").asString()).isEqualTo("Asia/Tokyo");
        assertThat(billing.get("target").get("kind").asString()).isEqualTo("job");
        assertThat(billing.get("rule").asString()).contains("25:30").contains("jp-business");
        assertThat(billing.get("catchUp").get("policy").asString()).isEqualTo("once");
        JsonNode next = billing.get("nextFires");
        assertThat(next.size()).isEqualTo(3);
        Instant first = Instant.parse(next.get(0).asString());
        assertThat(first).isAfter(Instant.now().minusSeconds(60));
        // 25:30 in Tokyo is 16:30 UTC
        assertThat(next.get(0).asString()).endsWith("T16:30:00Z");
    }

    @Test
    void aCallerWithoutReadSeesNoSchedules() {
        HttpResponse<String> list = as(TestCaller.HELLO, "GET", "/api/v1/schedules");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(api.json(list).get("schedules").size()).isZero();
    }

    @Test
    void anOperatorPausesAndResumesAndBothAreAudited() {
        try {
            HttpResponse<String> paused = as(TestCaller.NIGHTLY, "POST", "/api/v1/schedules/nightly-billing/pause");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(api.json(paused).get("paused").asBoolean()).isTrue();
            assertThat(api.json(paused).get("changed").asBoolean()).isTrue();
            assertThat(api.json(paused).get("pausedOrResumedBy").asString()).isEqualTo("nightly-ops");
            assertThat(billing(api.get("/api/v1/schedules")).get("nextFires").size())
                    .isZero();

            HttpResponse<String> again = as(TestCaller.NIGHTLY, "POST", "/api/v1/schedules/nightly-billing/pause");
            assertThat(api.json(again).get("changed").asBoolean()).isFalse();

            HttpResponse<String> resumed = as(TestCaller.NIGHTLY, "POST", "/api/v1/schedules/nightly-billing/resume");
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(api.json(resumed).get("paused").asBoolean()).isFalse();

            JsonNode audit = api.json(api.get("/api/v1/audit?job=nightly-billing&limit=50"))
                    .get("records");
            assertThat(audit.findValuesAsString("action")).contains("SCHEDULE_PAUSE", "SCHEDULE_RESUME");
            assertThat(audit.findValuesAsString("outcome")).contains("paused", "paused-already", "resumed");
        } finally {
            api.post("/api/v1/schedules/nightly-billing/resume", null, "");
        }
    }

    @Test
    void aReaderMayNotPauseAndAnUnknownScheduleIsAProblem() {
        HttpResponse<String> refused = as(TestCaller.READER, "POST", "/api/v1/schedules/nightly-billing/pause");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

        HttpResponse<String> unknown = api.post("/api/v1/schedules/no-such-schedule/pause", null, "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(api.json(unknown).get("type").asString()).endsWith("schedule-not-found");
        assertThat(billing(api.get("/api/v1/schedules")).get("paused").asBoolean())
                .isFalse();
    }
}
