package io.batchgate.runner.queue.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox relay against an SQS endpoint (real HTTP, SQS's JSON protocol) that resolves the
 * queue but never answers a send: the relay gives the send up after its timeout and keeps the row
 * due, instead of waiting on a dead connection while every accepted run queues up behind it.
 */
@Tag("sql")
class OutboxRelayTests {

    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer sqs;

    @AfterEach
    void stop() {
        released.countDown();
        if (sqs != null) {
            sqs.stop(0);
        }
    }

    @Test
    void aSendThatGetsNoAnswerIsGivenUpAfterTheSendTimeoutAndTheRowStaysDue() throws IOException {
        sqs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sqs.setExecutor(Executors.newCachedThreadPool());
        int port = sqs.getAddress().getPort();
        sqs.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            exchange.getRequestBody().readAllBytes();
            if ("AmazonSQS.GetQueueUrl".equals(target)) {
                byte[] body = ("{\"QueueUrl\":\"http://127.0.0.1:" + port + "/000000000000/batchgate-runs\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            } else {
                try {
                    released.await(); // a send that never gets an answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
        });
        sqs.start();

        JdbcClient jdbc = JdbcClient.create(TestDatabases.migrated(TestDatabases.newSelectedDatabase()));
        RunLedger ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        Outbox outbox = new Outbox(jdbc);
        Instant now = Instant.now();
        Run run = Run.accept(
                RunId.next(now.toEpochMilli(), new Random(1)), "nightly", "v1", Map.of(), Set.of(), "ci", null, now);
        ledger.insert(run);
        outbox.add(run.id(), now);

        QueueProperties properties = new QueueProperties(
                false,
                "batchgate-runs",
                false,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                "",
                5,
                60,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        try (SqsAsyncClient client = SqsAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            OutboxRelay relay =
                    new OutboxRelay(outbox, client, new QueueUrl(client, properties), properties, Clock.systemUTC());
            // without its own bound, the SDK's read timeout (30 s) and retries would hold it for minutes
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(relay::relayDue)
                    .hasMessageContaining("no answer from SQS within PT1S"));
        }
        assertThat(outbox.due(Instant.now(), Duration.ofMinutes(5), 10)).containsExactly(run.id());
    }
}
