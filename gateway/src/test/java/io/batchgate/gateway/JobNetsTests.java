package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.catalog.NetDefinition;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.net.NetRunId;
import io.batchgate.runner.net.NetRunStore;
import io.batchgate.runner.net.NetRuns;
import io.batchgate.runner.net.NetStart;
import io.batchgate.runner.net.NetTrigger;
import io.batchgate.runner.run.RunSource;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Job nets end to end on the local runtime: real processes (millisecond shell jobs), the HTTP API,
 * the database the suite runs on (H2, and MariaDB in the module's second run).
 */
class JobNetsTests extends GatewayIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Autowired
    NetRuns netRuns;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NetRunStore store;

    @Autowired
    CurrentCatalog catalog;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    NetTrigger netTrigger;

    private JsonNode start(String net, Map<String, String> params) {
        HttpResponse<String> response = api.post(
                "/api/v1/nets/" + net + "/runs", "application/json", json.writeValueAsString(Map.of("params", params)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).startsWith("/api/v1/net-runs/"));
        return api.json(response);
    }

    private JsonNode netRun(String id) {
        HttpResponse<String> response = api.get("/api/v1/net-runs/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return api.json(response);
    }

    private JsonNode awaitEnded(String id) {
        return await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> netRun(id), run -> run.get("status").asString().equals("ENDED"));
    }

    private static Map<String, JsonNode> members(JsonNode run) {
        Map<String, JsonNode> members = new HashMap<>();
        run.get("members").forEach(m -> members.put(m.get("name").asString(), m));
        return members;
    }

    private static Map<String, String> states(JsonNode run) {
        Map<String, String> states = new HashMap<>();
        members(run).forEach((name, m) -> states.put(name, m.get("state").asString()));
        return states;
    }

    @Test
    void aWarningTakesTheWarningBranchAndTheJoinRunsAfterBoth() {
        String id = start("test-five", Map.of("FIRST", "1")).get("id").asString();

        JsonNode ended = awaitEnded(id);

        assertThat(states(ended))
                .containsEntry("extract", "WARNING")
                .containsEntry("review", "SUCCEEDED")
                .containsEntry("load", "SUCCEEDED")
                .containsEntry("recover", "SKIPPED")
                .containsEntry("report", "SUCCEEDED");
        assertThat(ended.get("judgment").asString()).isEqualTo("WARNING");
        assertThat(ended.get("exitCode").asInt()).isEqualTo(1);
        List<String> order = new ArrayList<>();
        ended.get("members").forEach(m -> order.add(m.get("name").asString()));
        assertThat(order).as("catalog order").containsExactly("extract", "review", "load", "recover", "report");
        JsonNode extract = members(ended).get("extract");
        assertThat(extract.get("runStatus").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.run(extract.get("runId").asString()).get("source").asString())
                .isEqualTo("net:" + id + "/extract");
        JsonNode report = members(ended).get("report");
        assertThat(report.get("startedAt").asString())
                .as("the join started after both its predecessors ended")
                .isGreaterThanOrEqualTo(
                        members(ended).get("review").get("endedAt").asString())
                .isGreaterThanOrEqualTo(
                        members(ended).get("load").get("endedAt").asString());
    }

    @Test
    void aFailureRecoveredIsAWarningWithTheHighestExitCode() {
        String id = start("test-five", Map.of("LOAD", "5")).get("id").asString();

        JsonNode ended = awaitEnded(id);

        assertThat(states(ended))
                .containsEntry("extract", "SUCCEEDED")
                .containsEntry("review", "SKIPPED")
                .containsEntry("load", "FAILED")
                .containsEntry("recover", "SUCCEEDED")
                .containsEntry("report", "SKIPPED");
        assertThat(ended.get("judgment").asString()).isEqualTo("WARNING");
        assertThat(ended.get("exitCode").asInt()).isEqualTo(5);
    }

    @Test
    void aFailureTheRecoveryDoesNotHandleFailsTheNet() {
        String id = start("test-five", Map.of("LOAD", "5", "RECOVER", "7"))
                .get("id")
                .asString();

        JsonNode ended = awaitEnded(id);

        assertThat(states(ended)).containsEntry("load", "FAILED").containsEntry("recover", "FAILED");
        assertThat(ended.get("judgment").asString()).isEqualTo("FAILED");
        assertThat(ended.get("exitCode").asInt()).isEqualTo(7);
    }

    @Test
    void aJoinWaitsForAllItsPredecessors() throws Exception {
        String id = start("test-join", Map.of("DIR", dir.toString())).get("id").asString();

        Files.createFile(dir.resolve("left"));
        JsonNode leftDone = await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> netRun(id), run -> states(run).get("left").equals("SUCCEEDED"));
        // left's end and the decision about joined are stored in one transaction
        assertThat(states(leftDone)).containsEntry("joined", "WAITING").containsEntry("right", "RUNNING");

        Files.createFile(dir.resolve("right"));
        JsonNode ended = awaitEnded(id);
        assertThat(states(ended)).containsEntry("joined", "SUCCEEDED");
        assertThat(ended.get("judgment").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void cancelCancelsTheActiveMembersAndSkipsTheRest() {
        String id = start("test-join", Map.of("DIR", dir.toString())).get("id").asString();
        JsonNode running = await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> netRun(id),
                        run -> "RUNNING"
                                        .equals(members(run)
                                                .get("left")
                                                .path("runStatus")
                                                .asString(""))
                                && "RUNNING"
                                        .equals(members(run)
                                                .get("right")
                                                .path("runStatus")
                                                .asString("")));

        HttpResponse<String> cancel = api.post("/api/v1/net-runs/" + id + "/cancel", null, "");
        assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);

        JsonNode ended = awaitEnded(id);
        assertThat(ended.get("judgment").asString()).isEqualTo("CANCELLED");
        assertThat(states(ended))
                .containsEntry("left", "CANCELLED")
                .containsEntry("right", "CANCELLED")
                .containsEntry("joined", "SKIPPED");
        String leftRun = members(running).get("left").get("runId").asString();
        assertThat(api.run(leftRun).get("status").asString()).isEqualTo("CANCELLED");
        HttpResponse<String> again = api.post("/api/v1/net-runs/" + id + "/cancel", null, "");
        assertThat(again.statusCode())
                .as("cancelling a cancelled net answers it")
                .isEqualTo(200);

        HttpResponse<String> audit = api.get("/api/v1/audit?runId=" + id);
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        api.json(audit)
                .get("records")
                .forEach(r -> actions.add(r.get("action").asString() + " "
                        + r.get("job").asString() + " " + r.get("outcome").asString()));
        assertThat(actions).contains("NET_START test-join accepted").hasSize(3);
        assertThat(actions.stream().filter(a -> a.startsWith("NET_CANCEL test-join ")))
                .as(actions.toString())
                .hasSize(2);
    }

    @Test
    void rerunFromFailureKeepsTheMembersThatSucceeded() throws Exception {
        String id = start("test-rerun", Map.of("DIR", dir.toString())).get("id").asString();
        JsonNode failed = awaitEnded(id);
        assertThat(failed.get("judgment").asString()).isEqualTo("FAILED");
        assertThat(failed.get("exitCode").asInt()).isEqualTo(4);
        assertThat(states(failed)).containsEntry("first", "SUCCEEDED").containsEntry("last", "SKIPPED");
        String firstRun = members(failed).get("first").get("runId").asString();
        String failedCheck = members(failed).get("check").get("runId").asString();

        Files.createFile(dir.resolve("pass"));
        HttpResponse<String> rerun = api.post("/api/v1/net-runs/" + id + "/rerun", null, "");
        assertThat(rerun.statusCode()).as(rerun.body()).isIn(200, 202);

        JsonNode ended = awaitEnded(id);
        assertThat(ended.get("generation").asInt()).isEqualTo(2);
        assertThat(ended.get("judgment").asString()).isEqualTo("SUCCEEDED");
        assertThat(ended.get("exitCode").asInt()).isZero();
        Map<String, JsonNode> members = members(ended);
        assertThat(members.get("first").get("runId").asString()).as("kept").isEqualTo(firstRun);
        assertThat(members.get("first").get("generation").asInt()).isEqualTo(1);
        assertThat(members.get("check").get("runId").asString()).isNotEqualTo(failedCheck);
        assertThat(members.get("check").get("generation").asInt()).isEqualTo(2);
        assertThat(states(ended)).containsEntry("check", "SUCCEEDED").containsEntry("last", "SUCCEEDED");
        assertThat(runsBySource(id))
                .as("one run per member and generation")
                .containsEntry("net:" + id + "/first", 1)
                .containsEntry("net:" + id + "/check", 2)
                .containsEntry("net:" + id + "/last", 1);

        HttpResponse<String> again = api.post("/api/v1/net-runs/" + id + "/rerun", null, "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(api.json(again).get("type").asString()).endsWith("net-run-not-rerunnable");
    }

    @Test
    void aNestedNetIsAMemberThatEndsWithItsJudgment() {
        String id = start("test-outer", Map.of("DIR", dir.toString())).get("id").asString();

        JsonNode ended = awaitEnded(id);

        assertThat(states(ended))
                .containsEntry("before", "SUCCEEDED")
                .containsEntry("inner", "FAILED")
                .containsEntry("cleanup", "SUCCEEDED");
        assertThat(ended.get("judgment").asString()).isEqualTo("WARNING");
        assertThat(ended.get("exitCode").asInt()).isEqualTo(4);
        JsonNode inner = netRun(members(ended).get("inner").get("runId").asString());
        assertThat(inner.get("net").asString()).isEqualTo("test-rerun");
        assertThat(inner.get("source").asString()).isEqualTo("net:" + id + "/inner");
        assertThat(inner.get("judgment").asString()).isEqualTo("FAILED");
    }

    /** Replicas that hear the same run's end (events here, the sweep there) start each member once. */
    @Test
    void concurrentProgressionsStartEachMemberOnce() throws Exception {
        String id = start("test-five", Map.of("FIRST", "1")).get("id").asString();
        NetRunId netRunId = new NetRunId(id);
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> progressions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                progressions.add(replicas.submit(() -> {
                    while (!netRuns.get(netRunId).status().name().equals("ENDED")) {
                        netRuns.advance(netRunId);
                    }
                    return null;
                }));
            }
            for (Future<?> progression : progressions) {
                progression.get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            replicas.shutdownNow();
        }

        JsonNode ended = awaitEnded(id);
        assertThat(ended.get("judgment").asString()).isEqualTo("WARNING");
        assertThat(runsBySource(id))
                .containsOnlyKeys(
                        "net:" + id + "/extract",
                        "net:" + id + "/review",
                        "net:" + id + "/load",
                        "net:" + id + "/report")
                .allSatisfy((source, count) -> assertThat(count).as(source).isEqualTo(1));
        assertThat(ended.get("timeline").toString())
                .as("each member started once")
                .containsOnlyOnce("report: starting");
    }

    @Test
    void unknownNetsParamsAndIdsAreProblems() {
        HttpResponse<String> unknown = api.post("/api/v1/nets/no-such-net/runs", "application/json", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(api.json(unknown).get("type").asString()).endsWith("net-not-found");

        HttpResponse<String> invalid =
                api.post("/api/v1/nets/test-five/runs", "application/json", "{\"params\":{\"FIRST\":\"x\"}}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(api.json(invalid).get("type").asString()).endsWith("invalid-params");

        HttpResponse<String> missing = api.get("/api/v1/net-runs/0190a6c4-0000-7000-8000-000000000001");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(api.json(missing).get("type").asString()).endsWith("net-run-not-found");
    }

    /** The port a schedule fires a net through: the fire's key answers the same net run on a repeat. */
    @Test
    void aScheduleStartsANetOnceThroughTheTrigger() {
        RunSource source = RunSource.schedule("night", java.time.Instant.parse("2026-12-03T17:00:00Z"));
        String key = "schedule:night@2026-12-03T17:00:00Z:" + dir.getFileName();

        NetStart first = netTrigger.start("test-five", Map.of("FIRST", "0"), source, key);
        NetStart again = netTrigger.start("test-five", Map.of("FIRST", "0"), source, key);

        assertThat(first).isInstanceOf(NetStart.Started.class);
        NetRun run = ((NetStart.Started) first).run();
        assertThat(((NetStart.Started) again).replayed()).isTrue();
        assertThat(((NetStart.Started) again).run().id()).isEqualTo(run.id());
        JsonNode ended = awaitEnded(run.id().value());
        assertThat(ended.get("source").asString()).isEqualTo(source.value());
        assertThat(ended.get("requestedBy").asString()).isEqualTo(NetTrigger.CALLER);
        assertThat(ended.get("judgment").asString()).isEqualTo("SUCCEEDED");
        assertThat(netTrigger.start("no-such-net", Map.of(), source, key)).isInstanceOf(NetStart.Refused.class);
    }

    /** Scopes match a net's name as they match a job's. */
    @Test
    void scopesDecideWhoMayStartReadAndCancelANet() {
        HttpResponse<String> refused = api.send(api.request("/api/v1/nets/test-five/runs")
                .setHeader("Authorization", "Bearer " + TestCaller.HELLO.token())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(api.json(refused).get("type").asString()).endsWith("forbidden");

        String id = start("test-five", Map.of()).get("id").asString();
        HttpResponse<String> read = api.send(api.request("/api/v1/net-runs/" + id)
                .setHeader("Authorization", "Bearer " + TestCaller.READER.token())
                .GET()
                .build());
        HttpResponse<String> notRead = api.send(api.request("/api/v1/net-runs/" + id)
                .setHeader("Authorization", "Bearer " + TestCaller.HELLO.token())
                .GET()
                .build());
        HttpResponse<String> notCancelled = api.send(api.request("/api/v1/net-runs/" + id + "/cancel")
                .setHeader("Authorization", "Bearer " + TestCaller.READER.token())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(notRead.statusCode()).isEqualTo(403);
        assertThat(notCancelled.statusCode()).isEqualTo(403);
        awaitEnded(id);
    }

    @Test
    void anIdempotencyKeyAnswersTheFirstNetRun() {
        String body = json.writeValueAsString(Map.of("params", Map.of("FIRST", "0")));
        HttpResponse<String> first = api.send(api.request("/api/v1/nets/test-five/runs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "night-" + dir.getFileName())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build());
        HttpResponse<String> second = api.send(api.request("/api/v1/nets/test-five/runs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "night-" + dir.getFileName())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(api.json(second).get("id").asString())
                .isEqualTo(api.json(first).get("id").asString());
        awaitEnded(api.json(first).get("id").asString());
    }

    /**
     * A replica that crashed between a member's end and the next member's start: the run's end
     * event is gone, and only the sweep moves the net on.
     */
    @Test
    void theSweepMovesOnANetWhoseMembersEndNoEventReported() throws Exception {
        String finished = api.trigger("exit-with", Map.of());
        api.awaitFinal(finished);
        Files.createFile(dir.resolve("pass"));
        NetDefinition definition = catalog.get().net("test-rerun").orElseThrow();
        NetRun crashed = NetRun.accept(
                NetRunId.next(System.currentTimeMillis(), new java.util.Random()),
                definition,
                catalog.get().version(),
                Map.of("DIR", dir.toString()),
                "ci",
                RunSource.api(),
                null,
                null,
                java.time.Instant.now());
        assertThat(crashed.advance(definition, java.time.Instant.now())).containsExactly("first");
        crashed.memberStarted("first", finished, java.time.Instant.now());
        tx.executeWithoutResult(status -> store.insert(crashed));
        String id = crashed.id().value();
        assertThat(states(netRun(id))).containsEntry("first", "RUNNING").containsEntry("check", "WAITING");

        netRuns.sweep();

        JsonNode ended = awaitEnded(id);
        assertThat(ended.get("judgment").asString()).isEqualTo("SUCCEEDED");
        assertThat(members(ended).get("first").get("runId").asString()).isEqualTo(finished);
        assertThat(states(ended)).containsEntry("check", "SUCCEEDED").containsEntry("last", "SUCCEEDED");
    }

    @Test
    void jobctlRunNetWaitsAndExitsWithTheNetsExitCode() {
        Jobctl jobctl = new Jobctl(dir, port, TestCaller.JOBCTL.token()).with("BATCHGATE_NET_POLL_SECONDS", "1");

        Jobctl.Result failed =
                jobctl.run("run-net", "test-five", "--param", "LOAD=5", "--param", "RECOVER=7", "--wait");
        Jobctl.Result warned = jobctl.run("run-net", "test-five", "--param", "FIRST=1", "--wait");
        Jobctl.Result fine = jobctl.run("run-net", "test-five", "--wait");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(7);
        assertThat(failed.stderr()).contains("ended FAILED with exit code 7").contains("recover=FAILED");
        assertThat(warned.exitCode()).as(warned.toString()).isEqualTo(1);
        assertThat(fine.exitCode()).as(fine.toString()).isZero();
        JsonNode run = netRun(fine.stdout().strip());
        assertThat(run.get("source").asString()).isEqualTo("jobctl");
        assertThat(run.get("requestedBy").asString()).isEqualTo("jobctl-ops");
    }

    private Map<String, Integer> runsBySource(String netRunId) {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.sql("SELECT source, COUNT(*) FROM bg_run WHERE source LIKE :prefix GROUP BY source")
                .param("prefix", "net:" + netRunId + "/%")
                .query((rs, n) -> counts.put(rs.getString(1), rs.getInt(2)))
                .list();
        return counts;
    }
}
