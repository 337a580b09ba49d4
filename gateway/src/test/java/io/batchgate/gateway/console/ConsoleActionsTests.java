package io.batchgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.gateway.GatewayIntegrationTests;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.gateway.TestCaller;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The console's actions over plain HTTP, where the browser tests do not go: bulk cancel with its
 * confirmation, the bulk limit, and a reader that posts every action anyway (the browser test
 * shows it no buttons and posts one cancel).
 */
class ConsoleActionsTests extends GatewayIntegrationTests {

    @Test
    void bulkCancelNamesTheRunsItWillCancelThenCancelsEachOfThem() {
        List<String> talkers =
                List.of(api.trigger("talker", Map.of("SECONDS", "60")), api.trigger("talker", Map.of("SECONDS", "60")));
        talkers.forEach(this::awaitRunning);
        ConsoleClient admin = ConsoleClient.signedIn(port, GatewayTestSupport.TOKEN);

        HttpResponse<String> confirm = admin.postForm("/ui/bulk", selection("cancel", talkers));
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.body()).contains("Cancel 2 runs?", "Yes, cancel 2 runs", talkers.get(0), talkers.get(1));
        talkers.forEach(id -> assertThat(api.run(id).get("status").asString())
                .as("nothing is done before the confirmation")
                .isEqualTo("RUNNING"));

        List<Map.Entry<String, String>> confirmed = selection("cancel", talkers);
        confirmed.add(Map.entry("submission", "bulk-cancel-" + talkers.get(0)));
        HttpResponse<String> done = admin.postForm("/ui/bulk/confirm", confirmed);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Cancelled").doesNotContain("not done");
        talkers.forEach(
                id -> assertThat(api.awaitFinal(id).get("status").asString()).isEqualTo("CANCELLED"));
    }

    @Test
    void aBulkActionTakesAtMostAHundredRuns() {
        String one = api.trigger("hello", Map.of());
        api.awaitFinal(one);
        List<String> many = new ArrayList<>(List.of(one));
        // ids of runs that do not exist still count: the limit is on what was selected
        IntStream.range(0, 100).forEach(i -> many.add(one.substring(0, 24) + String.format("%012x", i)));
        HttpResponse<String> refused = ConsoleClient.signedIn(port, GatewayTestSupport.TOKEN)
                .postForm("/ui/bulk/confirm", selection("rerun", many));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("At most 100 runs at once; 101 were selected.");
        assertThat(api.json(api.get("/api/v1/runs?job=hello&limit=5"))
                        .get("runs")
                        .get(0)
                        .get("runId")
                        .asString())
                .as("no run was started")
                .isEqualTo(one);
    }

    @Test
    void aReaderThatPostsActionsAnywayIsRefusedEachTimeAndNothingHappens() {
        String talker = api.trigger("talker", Map.of("SECONDS", "60"));
        awaitRunning(talker);
        ConsoleClient reader = ConsoleClient.signedIn(port, TestCaller.READER.token());
        try {
            HttpResponse<String> trigger = reader.postForm("/ui/jobs/hello/runs", Map.of("GREETING", "no"));
            assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(403);
            HttpResponse<String> again = reader.postForm("/ui/runs/" + talker + "/rerun", Map.of());
            assertThat(again.statusCode()).as(again.body()).isEqualTo(403);
            HttpResponse<String> cancel = reader.postForm("/ui/runs/" + talker + "/cancel", Map.of());
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(403);

            // the bulk page answers per run: each one refused, none done
            for (String action : List.of("cancel", "rerun")) {
                HttpResponse<String> bulk = reader.postForm("/ui/bulk/confirm", selection(action, List.of(talker)));
                assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
                assertThat(bulk.body()).as(action).contains("not done").doesNotContain("✓ done");
            }
            assertThat(api.run(talker).get("status").asString()).isEqualTo("RUNNING");
            assertThat(api.json(api.get("/api/v1/runs?job=talker&limit=1"))
                            .get("runs")
                            .get(0)
                            .get("runId")
                            .asString())
                    .as("no run was started again")
                    .isEqualTo(talker);
        } finally {
            api.post("/api/v1/runs/" + talker + "/cancel", null, "");
        }
    }

    private void awaitRunning(String runId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.run(runId).get("status").asString().equals("RUNNING"));
    }

    private static List<Map.Entry<String, String>> selection(String action, List<String> runs) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("action", action));
        runs.forEach(id -> fields.add(Map.entry("run", id)));
        return fields;
    }
}
