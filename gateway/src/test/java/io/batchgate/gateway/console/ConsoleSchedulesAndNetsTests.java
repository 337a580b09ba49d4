package io.batchgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.ScheduleSpec;
import io.batchgate.gateway.GatewayIntegrationTests;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.gateway.TestCaller;
import io.batchgate.runner.schedule.Fire;
import io.batchgate.runner.schedule.FireLedger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The console's Schedules and Nets pages over HTTP, on H2 and (second surefire run) MariaDB: what
 * they show, to whom (the API's read filter), and pause, resume and cancel through the console with
 * the API's decision, audited as the API's actions, behind the console's session and CSRF rules.
 */
class ConsoleSchedulesAndNetsTests extends GatewayIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Autowired
    FireLedger fires;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ConsoleRuns consoleRuns;

    @TempDir
    Path dir;

    private ConsoleClient as(String token) {
        return ConsoleClient.signedIn(port, token);
    }

    private JsonNode apiSchedule(String name) {
        return api.json(api.get("/api/v1/schedules/" + name));
    }

    @Test
    void theSchedulesPageShowsEachScheduleWithItsTargetRuleNextFiresAndLastFire() {
        String run = api.trigger("hello", Map.of("GREETING", "fired"));
        Instant nominal = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // a fire of nightly-billing that found its run, written in one transaction as a scheduler pass would
        tx.executeWithoutResult(status -> {
            Fire fire = new Fire(
                    "nightly-billing",
                    nominal.atZone(ZoneOffset.UTC).toLocalDate(),
                    ScheduleSpec.StartTime.of(LocalTime.of(1, 30)),
                    nominal);
            assertThat(fires.tryInsert(fire, false, nominal, "test", nominal.plusSeconds(3600)))
                    .isTrue();
            assertThat(fires.admitted("nightly-billing", nominal, run, nominal)).isTrue();
        });

        HttpResponse<String> page = as(GatewayTestSupport.TOKEN).get("/ui/schedules");

        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        String billing = row(html, "nightly-billing");
        assertThat(billing)
                .contains("href=\"/ui/jobs/nightly-billing\"")
                .contains("25:30")
                .contains("jp-business")
                .contains("Asia/Tokyo")
                .contains("16:30:00")
                .contains("href=\"/ui/runs/" + run + "\"")
                .contains(ConsoleFormatTestView.time(nominal))
                .contains("once")
                .contains("action=\"/ui/schedules/nightly-billing/pause\"");
        // the next fires are the API's, in the same order
        for (JsonNode next : apiSchedule("nightly-billing").get("nextFires")) {
            assertThat(billing).contains("datetime=\"" + next.asString() + "\"");
        }
        assertThat(row(html, "night-close")).contains("href=\"/ui/nets?net=night-close\"");
        assertThat(html).contains("href=\"/ui/schedules\"").contains("href=\"/ui/nets\"");
    }

    @Test
    void aCallerSeesTheSchedulesTheApiShowsItAndButtonsOnlyWhereTheApiLetsItPause() {
        String hello = as(TestCaller.HELLO.token()).get("/ui/schedules").body();
        assertThat(hello).doesNotContain("data-schedule=").contains("no schedules you may see");

        String reader = as(TestCaller.READER.token()).get("/ui/schedules").body();
        assertThat(reader).contains("data-schedule=\"nightly-billing\"").doesNotContain("/pause\"");

        String nightly = as(TestCaller.NIGHTLY.token()).get("/ui/schedules").body();
        assertThat(nightly)
                .contains("action=\"/ui/schedules/nightly-billing/pause\"")
                .doesNotContain("data-schedule=\"night-close\"");
    }

    @Test
    void pauseAndResumeThroughTheConsoleAreTheApisAndAuditedLikeThem() {
        try {
            ConsoleClient nightly = as(TestCaller.NIGHTLY.token());
            HttpResponse<String> paused = nightly.postForm("/ui/schedules/nightly-billing/pause", Map.of());
            assertThat(paused.statusCode()).as(paused.body()).isIn(302, 303);
            assertThat(paused.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).contains("/ui/schedules#schedule-nightly-billing"));
            JsonNode state = apiSchedule("nightly-billing");
            assertThat(state.get("paused").asBoolean()).isTrue();
            assertThat(state.get("pausedOrResumedBy").asString()).isEqualTo("nightly-ops");
            String shown = row(nightly.get("/ui/schedules").body(), "nightly-billing");
            assertThat(shown)
                    .contains("paused by nightly-ops")
                    .contains("none while paused")
                    .contains("action=\"/ui/schedules/nightly-billing/resume\"")
                    .doesNotContain("/pause\"");

            assertThat(nightly.postForm("/ui/schedules/nightly-billing/pause", Map.of())
                            .statusCode())
                    .isIn(302, 303);
            assertThat(nightly.postForm("/ui/schedules/nightly-billing/resume", Map.of())
                            .statusCode())
                    .isIn(302, 303);
            assertThat(apiSchedule("nightly-billing").get("paused").asBoolean()).isFalse();

            List<String> audited = consoleAudit("caller=nightly-ops&job=nightly-billing");
            assertThat(audited)
                    .contains(
                            "SCHEDULE_PAUSE 200 paused POST /ui/schedules/nightly-billing/pause",
                            "SCHEDULE_PAUSE 200 paused-already POST /ui/schedules/nightly-billing/pause",
                            "SCHEDULE_RESUME 200 resumed POST /ui/schedules/nightly-billing/resume");

            // a reader is refused as by the API, and the refusal is audited
            HttpResponse<String> refused =
                    as(TestCaller.READER.token()).postForm("/ui/schedules/nightly-billing/pause", Map.of());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("may not");
            assertThat(consoleAudit("caller=reader&job=nightly-billing"))
                    .contains("SCHEDULE_PAUSE 403 forbidden POST /ui/schedules/nightly-billing/pause");
            HttpResponse<String> unknown =
                    as(GatewayTestSupport.TOKEN).postForm("/ui/schedules/no-such-schedule/pause", Map.of());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(apiSchedule("nightly-billing").get("paused").asBoolean()).isFalse();
        } finally {
            api.post("/api/v1/schedules/nightly-billing/resume", null, "");
        }
    }

    @Test
    void everyCallerMayPauseThroughTheConsoleExactlyWhenTheApiLetsIt() {
        try {
            for (TestCaller caller : TestCaller.values()) {
                HttpResponse<String> byApi = api.send(api.request("/api/v1/schedules/nightly-billing/pause")
                        .setHeader("Authorization", "Bearer " + caller.token())
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
                api.post("/api/v1/schedules/nightly-billing/resume", null, "");
                HttpResponse<String> byConsole =
                        as(caller.token()).postForm("/ui/schedules/nightly-billing/pause", Map.of());
                api.post("/api/v1/schedules/nightly-billing/resume", null, "");
                boolean apiLets = byApi.statusCode() == 200;
                boolean consoleLets = byConsole.statusCode() == 302 || byConsole.statusCode() == 303;
                assertThat(consoleLets).as(caller.name()).isEqualTo(apiLets);
                assertThat(consoleLets ? 200 : byConsole.statusCode())
                        .as(caller.name())
                        .isEqualTo(byApi.statusCode());
            }
        } finally {
            api.post("/api/v1/schedules/nightly-billing/resume", null, "");
        }
    }

    @Test
    void aConsolePostNeedsASessionAndItsCsrfToken() {
        HttpResponse<String> anonymous =
                ConsoleClient.anonymous(port).postRaw("/ui/schedules/nightly-billing/pause", Map.of());
        assertThat(anonymous.statusCode()).isIn(401, 403);
        HttpResponse<String> noToken =
                as(GatewayTestSupport.TOKEN).postRaw("/ui/schedules/nightly-billing/pause", Map.of());
        assertThat(noToken.statusCode()).isEqualTo(403);
        HttpResponse<String> wrongToken = as(GatewayTestSupport.TOKEN)
                .postRaw("/ui/net-runs/0190a6c4-0000-7000-8000-000000000001/cancel", Map.of("_csrf", "nope"));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(apiSchedule("nightly-billing").get("paused").asBoolean()).isFalse();
        HttpResponse<String> page = ConsoleClient.anonymous(port).get("/ui/nets");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).contains("/ui/sign-in"));
    }

    @Test
    void theNetsPageListsNetRunsNewestFirstAndANetRunShowsItsMembersLinkedToTheirRuns() {
        String older = startNet("test-five", "{\"params\":{\"FIRST\":\"0\"}}");
        String newer = startNet("test-five", "{\"params\":{\"FIRST\":\"1\"}}");
        awaitEnded(older);
        JsonNode ended = awaitEnded(newer);

        String list = as(GatewayTestSupport.TOKEN).get("/ui/nets?net=test-five").body();
        assertThat(list).contains("data-net-run=\"" + newer + "\"").contains("data-net-run=\"" + older + "\"");
        assertThat(list.indexOf("data-net-run=\"" + newer + "\""))
                .isLessThan(list.indexOf("data-net-run=\"" + older + "\""));
        assertThat(list).contains("href=\"/ui/net-runs/" + newer + "\"");

        HttpResponse<String> page = as(GatewayTestSupport.TOKEN).get("/ui/net-runs/" + newer);
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(html)
                .contains(">" + ended.get("judgment").asString() + "<")
                .contains("id=\"net-exit-code\">" + ended.get("exitCode").asInt() + "<");
        for (JsonNode member : ended.get("members")) {
            assertThat(html).contains("data-member=\"" + member.get("name").asString() + "\"");
            if (member.hasNonNull("runId")) {
                assertThat(html)
                        .contains("href=\"/ui/runs/" + member.get("runId").asString() + "\"");
            }
        }
        for (JsonNode entry : ended.get("timeline")) {
            assertThat(html).contains(escapeHtml(entry.get("text").asString()));
        }
        assertThat(html).doesNotContain("id=\"cancel-net\"");

        // a member's run page leads back to its net run
        String extract = ended.get("members").findValues("runId").get(0).asString();
        String memberPage =
                as(GatewayTestSupport.TOKEN).get("/ui/runs/" + extract).body();
        assertThat(memberPage).contains("href=\"/ui/net-runs/" + newer + "\"");
        assertThat(as(GatewayTestSupport.TOKEN)
                        .get("/ui/runs/" + api.trigger("hello", Map.of()))
                        .body())
                .doesNotContain("id=\"net-run-link\"");

        // the API's list, now limited in SQL, still answers the newest
        JsonNode newest =
                api.json(api.get("/api/v1/net-runs?net=test-five&limit=1")).get("netRuns");
        assertThat(newest.size()).isEqualTo(1);
        assertThat(newest.get(0).get("id").asString()).isEqualTo(newer);

        // paged by id: a page of one, then the next below its cursor
        ConsoleRuns.NetRunPage first =
                consoleRuns.netRuns(Optional.of("test-five"), Optional.empty(), Optional.empty(), 1);
        assertThat(first.rows()).extracting(ConsoleRuns.NetRunRow::id).containsExactly(newer);
        ConsoleRuns.NetRunPage second =
                consoleRuns.netRuns(Optional.of("test-five"), Optional.empty(), first.nextBefore(), 1);
        assertThat(second.rows()).extracting(ConsoleRuns.NetRunRow::id).containsExactly(older);
        assertThat(consoleRuns
                        .netRuns(Optional.empty(), Optional.of(List.of("exit-*")), Optional.empty(), 50)
                        .rows())
                .isEmpty();
    }

    @Test
    void aCallerWhoMayNotReadTheNetSeesNoneOfItsRuns() {
        String id = startNet("test-five", "{\"params\":{\"FIRST\":\"0\"}}");
        ConsoleClient hello = as(TestCaller.HELLO.token());
        assertThat(hello.get("/ui/nets").body()).doesNotContain(id).contains("no net runs you may see");
        assertThat(hello.get("/ui/net-runs/" + id).statusCode()).isEqualTo(403);
        assertThat(as(TestCaller.READER.token()).get("/ui/nets").body()).contains(id);
        assertThat(as(GatewayTestSupport.TOKEN)
                        .get("/ui/net-runs/0190a6c4-0000-7000-8000-000000000001")
                        .statusCode())
                .isEqualTo(404);
        awaitEnded(id);
    }

    @Test
    void cancelANetRunThroughTheConsoleAsTheApiDoesAndAudited() throws Exception {
        String id = startNet("test-join", "{\"params\":{\"DIR\":\"" + dir + "\"}}");
        try {
            await().atMost(DEADLINE).until(() -> {
                JsonNode run = api.json(api.get("/api/v1/net-runs/" + id));
                return run.get("members").findValuesAsString("runStatus").contains("RUNNING");
            });
            ConsoleClient ci = as(GatewayTestSupport.TOKEN);
            assertThat(ci.get("/ui/net-runs/" + id).body()).contains("id=\"cancel-net\"");
            assertThat(as(TestCaller.READER.token()).get("/ui/net-runs/" + id).body())
                    .doesNotContain("id=\"cancel-net\"");
            HttpResponse<String> refused =
                    as(TestCaller.READER.token()).postForm("/ui/net-runs/" + id + "/cancel", Map.of());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(ci.postRaw("/ui/net-runs/" + id + "/cancel", Map.of()).statusCode())
                    .isEqualTo(403);

            HttpResponse<String> cancelled = ci.postForm("/ui/net-runs/" + id + "/cancel", Map.of());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isIn(302, 303);
            JsonNode ended = awaitEnded(id);
            assertThat(ended.get("judgment").asString()).isEqualTo("CANCELLED");
            assertThat(ci.get("/ui/net-runs/" + id).body())
                    .contains("CANCELLED")
                    .doesNotContain("id=\"cancel-net\"");

            List<String> audited = consoleAudit("runId=" + id);
            assertThat(audited).anySatisfy(a -> assertThat(a).matches("NET_CANCEL 20[02] cancell(ed|ing) POST /ui/.*"));
            assertThat(audited).contains("NET_CANCEL 403 forbidden POST /ui/net-runs/" + id + "/cancel");
            JsonNode records = api.json(api.get("/api/v1/audit?runId=" + id)).get("records");
            assertThat(records.findValuesAsString("caller")).contains("ci", "reader");
        } finally {
            Files.writeString(dir.resolve("left"), "go");
            Files.writeString(dir.resolve("right"), "go");
        }
        // an ended net run that was not cancelled is the API's conflict
        String done = startNet("test-five", "{\"params\":{\"FIRST\":\"0\"}}");
        awaitEnded(done);
        HttpResponse<String> conflict =
                as(GatewayTestSupport.TOKEN).postForm("/ui/net-runs/" + done + "/cancel", Map.of());
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(consoleAudit("runId=" + done))
                .contains("NET_CANCEL 409 net-run-finished POST /ui/net-runs/" + done + "/cancel");
    }

    /** The console's audit records of the query: "ACTION status outcome target", runSource ui only. */
    private List<String> consoleAudit(String query) {
        JsonNode records = api.json(api.get("/api/v1/audit?limit=200&" + query)).get("records");
        List<String> lines = new ArrayList<>();
        for (JsonNode r : records) {
            if ("ui".equals(r.path("runSource").asString(""))) {
                lines.add(r.get("action").asString() + " " + r.get("httpStatus").asInt() + " "
                        + r.get("outcome").asString() + " " + r.get("target").asString());
            }
        }
        return lines;
    }

    private String startNet(String net, String body) {
        HttpResponse<String> started = api.post("/api/v1/nets/" + net + "/runs", "application/json", body);
        assertThat(started.statusCode()).as(started.body()).isIn(200, 202);
        return api.json(started).get("id").asString();
    }

    private JsonNode awaitEnded(String id) {
        return await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.json(api.get("/api/v1/net-runs/" + id)), run -> "ENDED"
                        .equals(run.get("status").asString()));
    }

    /** The table row of one schedule. */
    private static String row(String html, String schedule) {
        int start = html.indexOf("data-schedule=\"" + schedule + "\"");
        assertThat(start).as("a row for " + schedule).isNotNegative();
        int end = html.indexOf("</tr>", start);
        return html.substring(start, end);
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** The console's time format, as the page writes it. */
    private static final class ConsoleFormatTestView {
        static String time(Instant instant) {
            return new ConsoleFormat().time(instant);
        }
    }
}
