package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two complete replicas (gateway and runner each) share one database and one queue. A forbid job
 * and a queue job with maxConcurrent 2 get 100 triggers each, spread over both replicas. A
 * sampler checks, every 10 ms, both what the database says and what really runs (each job
 * process holds a marker file while it runs): the limits hold at every sampled instant, and
 * every accepted run eventually runs.
 */
@Tag("fault")
class TwoReplicaConcurrencyTests {

    private static final String JOBS = """
            jobs:
              solo:
                local: { command: ["sh", "-c", "touch \\"$MARKS/$BATCHGATE_RUN_ID\\"; sleep 0.2; rm \\"$MARKS/$BATCHGATE_RUN_ID\\""] }
                params: { MARKS: { type: string, maxLength: 1024, required: true } }
                concurrency: { overlap: forbid }
              pair:
                local: { command: ["sh", "-c", "touch \\"$MARKS/$BATCHGATE_RUN_ID\\"; sleep 0.2; rm \\"$MARKS/$BATCHGATE_RUN_ID\\""] }
                params: { MARKS: { type: string, maxLength: 1024, required: true } }
                concurrency: { overlap: queue, maxQueued: 200, maxConcurrent: 2 }
            """;

    @TempDir
    Path dir;

    private ConfigurableApplicationContext replica(String name, Path catalog, int sqsPort) {
        return new SpringApplicationBuilder(BatchgateApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.application.name=" + name,
                        "--batchgate.data-dir=" + dir.resolve("data"),
                        "--batchgate.catalog.dir=" + catalog,
                        "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db") + "/shared",
                        "--batchgate.auth.tokens[0].name=ci",
                        "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                        "--batchgate.auth.tokens[0].scopes=admin",
                        "--batchgate.auth.trigger-rate.per-second=100000",
                        "--batchgate.auth.trigger-rate.burst=100000",
                        "--batchgate.queue.embedded=false",
                        "--batchgate.queue.create-if-missing=true",
                        "--batchgate.queue.relay-interval=100ms",
                        "--batchgate.launch.slot-recheck=100ms",
                        "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + sqsPort,
                        "--spring.cloud.aws.region.static=us-east-1",
                        "--spring.cloud.aws.credentials.access-key=test",
                        "--spring.cloud.aws.credentials.secret-key=test",
                        "--spring.cloud.aws.sqs.listener.poll-timeout=1s");
    }

    @Test
    void limitsHoldAtEveryInstantAcrossTwoReplicas() throws Exception {
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("jobs.yaml"), JOBS);
        Path soloMarks = Files.createDirectories(dir.resolve("marks-solo"));
        Path pairMarks = Files.createDirectories(dir.resolve("marks-pair"));
        SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .start();
        int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        ExecutorService threads = Executors.newFixedThreadPool(9);
        try (ConfigurableApplicationContext a = replica("replica-a", catalog, sqsPort);
                ConfigurableApplicationContext b = replica("replica-b", catalog, sqsPort)) {
            List<ApiClient> apis = List.of(
                    new ApiClient(
                            ((WebServerApplicationContext) a).getWebServer().getPort()),
                    new ApiClient(
                            ((WebServerApplicationContext) b).getWebServer().getPort()));
            JdbcClient jdbc = a.getBean(JdbcClient.class);

            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicInteger samples = new AtomicInteger();
            AtomicInteger maxSoloRunning = new AtomicInteger();
            AtomicInteger maxPairRunning = new AtomicInteger();
            AtomicInteger maxSoloHolding = new AtomicInteger();
            AtomicInteger maxPairHolding = new AtomicInteger();
            Future<?> sampler = threads.submit(() -> {
                while (sampling.get()) {
                    maxSoloRunning.accumulateAndGet(count(soloMarks), Math::max);
                    maxPairRunning.accumulateAndGet(count(pairMarks), Math::max);
                    maxSoloHolding.accumulateAndGet(holding(jdbc, "solo"), Math::max);
                    maxPairHolding.accumulateAndGet(holding(jdbc, "pair"), Math::max);
                    samples.incrementAndGet();
                    Thread.sleep(10);
                }
                return null;
            });

            List<Future<HttpResponse<String>>> triggers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ApiClient api = apis.get(i % 2);
                triggers.add(threads.submit(() -> api.post(
                        "/api/v1/jobs/solo/runs",
                        "application/json",
                        "{\"params\":{\"MARKS\":\"" + soloMarks + "\"}}")));
                triggers.add(threads.submit(() -> api.post(
                        "/api/v1/jobs/pair/runs",
                        "application/json",
                        "{\"params\":{\"MARKS\":\"" + pairMarks + "\"}}")));
            }
            List<String> accepted = new ArrayList<>();
            int skipped = 0;
            for (Future<HttpResponse<String>> trigger : triggers) {
                HttpResponse<String> response = trigger.get();
                if (response.statusCode() == 202) {
                    accepted.add(apis.get(0).json(response).get("runId").asString());
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
                    assertThat(apis.get(0).json(response).get("type").asString())
                            .isEqualTo("/problems/overlap-forbidden");
                    skipped++;
                }
            }
            List<JsonNode> runs = accepted.stream().map(apis.get(1)::awaitFinal).toList();
            sampling.set(false);
            sampler.get();

            assertThat(runs)
                    .allSatisfy(run -> assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED"));
            assertThat(runs.stream().filter(run -> run.get("job").asString().equals("pair")))
                    .hasSize(100);
            assertThat(maxSoloRunning.get()).isLessThanOrEqualTo(1);
            assertThat(maxSoloHolding.get()).isLessThanOrEqualTo(1);
            assertThat(maxPairRunning.get()).isLessThanOrEqualTo(2);
            assertThat(maxPairHolding.get()).isLessThanOrEqualTo(2);
            assertThat(maxPairRunning.get()).isEqualTo(2); // the limit was reached, not just respected by idling
            System.out.printf("fault.two-replicas.samples: %d%n", samples.get());
            System.out.printf(
                    "fault.two-replicas.solo: %d accepted, %d skipped, max running %d%n",
                    100 - skipped, skipped, maxSoloRunning.get());
            System.out.printf(
                    "fault.two-replicas.pair: 100 accepted, max running %d (database %d)%n",
                    maxPairRunning.get(), maxPairHolding.get());
        } finally {
            threads.shutdownNow();
            sqsServer.stopAndWait();
        }
    }

    private static int count(Path marks) throws IOException {
        try (Stream<Path> files = Files.list(marks)) {
            return (int) files.count();
        }
    }

    private static int holding(JdbcClient jdbc, String job) {
        return jdbc.sql("SELECT COUNT(*) FROM bg_run WHERE job = :job AND status IN ('LAUNCHING','RUNNING','STOPPING')")
                .param("job", job)
                .query(Integer.class)
                .single();
    }
}
