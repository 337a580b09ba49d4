package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.testing.JobProcesses;
import io.batchgate.runner.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The queue becomes unreachable while 100 triggers arrive. Every trigger is answered 202 — it is
 * committed with its outbox row, the queue is not needed to accept it — and once the queue is
 * back every accepted run completes, each exactly once: lost and duplicated runs are counted from
 * the stamps the jobs write, not assumed.
 */
@Tag("fault")
@ExtendWith(OutputCaptureExtension.class)
@Tag("sql")
class QueueOutageTests {

    private static final int TRIGGERS = 100;

    /** Appends "run-id attempt" to LEDGER: who ran, and how often, is read back from the file. */
    private static final String STAMP_JOB = """
            jobs:
              stamp:
                description: Appends its run id and attempt to LEDGER.
                local:
                  command: [sh, -c, 'echo "$BATCHGATE_RUN_ID $BATCHGATE_ATTEMPT" >> "$LEDGER"']
                params: { LEDGER: { type: string, required: true, maxLength: 1024 } }
            """;

    @TempDir
    Path dataDir;

    @AfterEach
    void killJobsLeftRunning() {
        JobProcesses.killAll(dataDir);
    }

    @Test
    void acceptedRunsSurviveAQueueOutageAndRunExactlyOnce(CapturedOutput output) throws Exception {
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        Path ledger = Files.createFile(dataDir.resolve("ledger.txt"));
        Path catalog = GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog"));
        Files.writeString(catalog.resolve("zz-stamp.yaml"), STAMP_JOB);
        String body = "{\"params\":{\"LEDGER\":\"" + ledger + "\"}}";
        try (TcpProxy network = new TcpProxy(sqsPort)) {
            List<String> args = new ArrayList<>(TestDatabases.selectedDatabaseArguments(dataDir));
            args.addAll(List.of(
                    "--server.port=0",
                    "--batchgate.data-dir=" + dataDir,
                    "--batchgate.catalog.dir=" + catalog,
                    "--batchgate.auth.tokens[0].name=ci",
                    "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                    "--batchgate.auth.tokens[0].scopes=admin",
                    "--batchgate.auth.trigger-rate.per-second=100000",
                    "--batchgate.auth.trigger-rate.burst=100000",
                    "--batchgate.queue.embedded=false",
                    "--batchgate.queue.create-if-missing=true",
                    "--batchgate.queue.relay-interval=200ms",
                    "--batchgate.queue.send-timeout=3s",
                    // a message received while the network is cut reappears after this, not after 60 s
                    "--batchgate.queue.visibility-seconds=5",
                    "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + network.port(),
                    "--spring.cloud.aws.region.static=us-east-1",
                    "--spring.cloud.aws.credentials.access-key=test",
                    "--spring.cloud.aws.credentials.secret-key=test",
                    "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
            try (ConfigurableApplicationContext app =
                    new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new))) {
                ApiClient api = new ApiClient(
                        ((WebServerApplicationContext) app).getWebServer().getPort());
                String before = api.trigger("stamp", Map.of("LEDGER", ledger.toString()));
                assertThat(api.awaitFinal(before).get("status").asString()).isEqualTo("SUCCEEDED");

                network.cut();
                Map<Integer, Integer> answers = new TreeMap<>();
                List<String> accepted = new ArrayList<>();
                for (int i = 0; i < TRIGGERS; i++) {
                    HttpResponse<String> response = api.post("/api/v1/jobs/stamp/runs", "application/json", body);
                    answers.merge(response.statusCode(), 1, Integer::sum);
                    if (response.statusCode() == 202) {
                        accepted.add(api.json(response).get("runId").asString());
                    }
                }
                // the queue is not needed to accept a trigger: every one is answered 202
                assertThat(answers).as("answers by status during the outage").isEqualTo(Map.of(202, TRIGGERS));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> output.getOut().contains("outbox relay could not send to the queue"));
                assertThat(accepted.stream().map(api::run).map(run -> run.get("status")
                                .asString()))
                        .containsOnly("QUEUED");
                network.resume();

                List<JsonNode> runs = accepted.stream().map(api::awaitFinal).toList();
                assertThat(runs).allSatisfy(run -> assertThat(run.get("status").asString())
                        .isEqualTo("SUCCEEDED"));
                assertThat(runs)
                        .allSatisfy(run -> assertThat(run.get("attempts")).hasSize(1));

                // what ran, from the jobs' own stamps: every accepted run once, nothing else
                Map<String, Long> ran = Files.readAllLines(ledger).stream()
                        .filter(line -> !line.isBlank())
                        .map(line -> line.split(" ")[0])
                        .collect(Collectors.groupingBy(id -> id, TreeMap::new, Collectors.counting()));
                ran.remove(before);
                long lost = accepted.stream().filter(id -> !ran.containsKey(id)).count();
                long duplicated =
                        ran.values().stream().filter(times -> times > 1).count();
                long unknown = ran.keySet().stream()
                        .filter(id -> !accepted.contains(id))
                        .count();
                System.out.println("fault.queue-outage.triggers: " + TRIGGERS);
                System.out.println("fault.queue-outage.accepted: " + accepted.size());
                System.out.println("fault.queue-outage.lost: " + lost);
                System.out.println("fault.queue-outage.duplicated: " + duplicated);
                assertThat(lost).as("accepted runs that never ran").isZero();
                assertThat(duplicated)
                        .as("runs that ran more than once: " + ran)
                        .isZero();
                assertThat(unknown).as("runs that ran but were never accepted").isZero();
            }
        } finally {
            sqsServer.stopAndWait();
        }
    }
}
