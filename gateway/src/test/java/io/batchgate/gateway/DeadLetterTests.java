package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.batchgate.runner.queue.sqs.DeadLetterMonitor;
import io.batchgate.runner.queue.sqs.QueueUrl;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Messages no runner can process — not a launch message, or a run the database does not know —
 * end in the dead-letter queue after the queue's receive limit, are counted, and never block the
 * runs behind them.
 */
class DeadLetterTests extends GatewayIntegrationTests {

    @Autowired
    SqsAsyncClient sqs;

    @Autowired
    QueueUrl queueUrl;

    @Autowired
    DeadLetterMonitor deadLetters;

    @Autowired
    MeterRegistry meters;

    @Test
    void unprocessableMessagesEndInTheDeadLetterQueueWithoutBlockingOthers() {
        assertThat(sqs.getQueueAttributes(
                                r -> r.queueUrl(queueUrl.get()).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                        .join()
                        .attributes()
                        .get(QueueAttributeName.REDRIVE_POLICY))
                .contains("batchgate-runs-dlq")
                .contains("\"maxReceiveCount\":2");
        long before = Math.max(0, deadLetters.check());
        sqs.sendMessage(r -> r.queueUrl(queueUrl.get()).messageBody("this is not JSON"))
                .join();
        sqs.sendMessage(r ->
                        r.queueUrl(queueUrl.get()).messageBody("{\"runId\":\"01900000-0000-7000-8000-000000000000\"}"))
                .join();

        String runId = api.trigger("hello", Map.of("GREETING", "Meanwhile"));
        assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.check() == before + 2);
        assertThat(meters.get("batchgate.queue.messages.rejected").counter().count())
                .isGreaterThanOrEqualTo(4);
        assertThat(meters.get("batchgate.queue.dead.letters").gauge().value()).isEqualTo(before + 2);
    }
}
