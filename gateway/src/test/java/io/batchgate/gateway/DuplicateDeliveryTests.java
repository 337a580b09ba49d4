package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.queue.sqs.QueueUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/** A launch message delivered several times, even at once, starts exactly one process. */
class DuplicateDeliveryTests extends GatewayIntegrationTests {

    @Autowired
    SqsAsyncClient sqs;

    @Autowired
    QueueUrl queueUrl;

    @Test
    void theSameMessageDeliveredSixTimesStartsOneProcess() throws Exception {
        Path countFile = Files.createTempFile(DATA_DIR, "count-", ".txt");
        String runId = api.trigger("count", Map.of("COUNT_FILE", countFile.toString(), "SECONDS", "1"));
        String body = "{\"runId\":\"" + runId + "\"}";
        List<CompletableFuture<?>> sends = IntStream.range(0, 5)
                .mapToObj(i -> sqs.sendMessage(r -> r.queueUrl(queueUrl.get()).messageBody(body)))
                .<CompletableFuture<?>>map(f -> f)
                .toList();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

        JsonNode run = api.awaitFinal(runId);
        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        awaitQueueDrained();
        assertThat(Files.readAllLines(countFile)).containsExactly("started");
        assertThat(run.get("attempts")).hasSize(1);
    }

    private void awaitQueueDrained() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl.get())
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .join()
                    .attributes();
            return attributes.values().stream().allMatch("0"::equals);
        });
    }
}
