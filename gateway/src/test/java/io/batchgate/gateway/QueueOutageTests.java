package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The queue becomes unreachable while 100 triggers arrive. Every trigger is answered 202 — it is
 * committed with its outbox row, the queue is not needed to accept it — and once the queue is
 * back every accepted run completes, each exactly once.
 */
@Tag("fault")
class QueueOutageTests {

    @TempDir
    Path dataDir;

    @Test
    void acceptedRunsSurviveAQueueOutageAndRunExactlyOnce() throws Exception {
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        Path ledger = Files.createFile(dataDir.resolve("ledger.txt"));
        try (TcpProxy network = new TcpProxy(sqsPort);
                ConfigurableApplicationContext app = new SpringApplicationBuilder(BatchgateApplication.class)
                        .run(
                                "--server.port=0",
                                "--batchgate.data-dir=" + dataDir,
                                "--batchgate.catalog.dir="
                                        + GatewayTestSupport.catalogWithSampleAndTestJobs(dataDir.resolve("catalog")),
                                "--batchgate.auth.tokens[0].name=ci",
                                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                                "--batchgate.auth.tokens[0].scopes=admin",
                                "--batchgate.auth.trigger-rate.per-second=100000",
                                "--batchgate.auth.trigger-rate.burst=100000",
                                "--batchgate.queue.embedded=false",
                                "--batchgate.queue.create-if-missing=true",
                                "--batchgate.queue.relay-interval=200ms",
                                "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + network.port(),
                                "--spring.cloud.aws.region.static=us-east-1",
                                "--spring.cloud.aws.credentials.access-key=test",
                                "--spring.cloud.aws.credentials.secret-key=test",
                                "--spring.cloud.aws.sqs.listener.poll-timeout=1s")) {
            ApiClient api = new ApiClient(
                    ((WebServerApplicationContext) app).getWebServer().getPort());
            assertThat(api.awaitFinal(api.trigger("count", Map.of("COUNT_FILE", ledger.toString())))
                            .get("status")
                            .asString())
                    .isEqualTo("SUCCEEDED");

            network.cut();
            List<String> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> response = api.post(
                        "/api/v1/jobs/count/runs",
                        "application/json",
                        "{\"params\":{\"COUNT_FILE\":\"" + ledger + "\"}}");
                if (response.statusCode() == 202) {
                    accepted.add(api.json(response).get("runId").asString());
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                    refused++;
                }
            }
            Thread.sleep(2000); // the relay tries and fails meanwhile
            assertThat(accepted.stream().map(api::run).map(run -> run.get("status")
                            .asString()))
                    .containsOnly("QUEUED");
            network.resume();

            List<JsonNode> runs = accepted.stream().map(api::awaitFinal).toList();
            assertThat(runs)
                    .allSatisfy(run -> assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED"));
            assertThat(runs).allSatisfy(run -> assertThat(run.get("attempts")).hasSize(1));
            assertThat(Files.readAllLines(ledger)).hasSize(accepted.size() + 1);
            System.out.println("fault.queue-outage.triggers: 100");
            System.out.println("fault.queue-outage.accepted: " + accepted.size());
            System.out.println("fault.queue-outage.refused_503: " + refused);
            System.out.println("fault.queue-outage.lost: 0");
            System.out.println("fault.queue-outage.duplicated: 0");
        } finally {
            sqsServer.stopAndWait();
        }
    }
}
