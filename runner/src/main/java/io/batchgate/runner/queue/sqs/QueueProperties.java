package io.batchgate.runner.queue.sqs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The launch queue (SQS, or ElasticMQ in the embedded default).
 *
 * @param embedded run ElasticMQ in the gateway's JVM and send to it (the embedded default's
 *     {@code application.yaml} sets it); {@code false}: real SQS through Spring Cloud AWS
 * @param name the queue's name
 * @param createIfMissing create the queue at start-up (the embedded default); in production the
 *     queue, its redrive policy and its dead-letter queue belong to the infrastructure code
 * @param relayInterval how often the outbox relay looks for rows when nothing woke it
 * @param resendAfter how long an accepted run may stay unclaimed before its message is sent again
 * @param deadLetterQueue the queue that receives messages no runner could process; created with
 *     the launch queue when {@code createIfMissing} (default: the launch queue's name + "-dlq")
 * @param maxReceiveCount receives of one message before SQS moves it to the dead-letter queue
 * @param visibilitySeconds how long a received message stays invisible before it is delivered
 *     again: set on the queue batchgate creates and on every receive of the listener
 * @param deadLetterCheckInterval how often the dead-letter queue's depth is read for the metric
 * @param sendTimeout the longest one send of the outbox relay may take before it is given up and
 *     tried again: a connection that never answers must not stop the relay for good
 */
@ConfigurationProperties("batchgate.queue")
public record QueueProperties(
        @DefaultValue("false") boolean embedded,
        @DefaultValue("batchgate-runs") String name,
        @DefaultValue("false") boolean createIfMissing,
        @DefaultValue("1s") Duration relayInterval,
        @DefaultValue("5m") Duration resendAfter,
        @DefaultValue("") String deadLetterQueue,
        @DefaultValue("5") int maxReceiveCount,
        @DefaultValue("60") int visibilitySeconds,
        @DefaultValue("60s") Duration deadLetterCheckInterval,
        @DefaultValue("10s") Duration sendTimeout) {

    public QueueProperties {
        if (name.isBlank()) {
            throw new IllegalArgumentException("batchgate.queue.name must not be blank");
        }
        positive(relayInterval, "relay-interval");
        positive(resendAfter, "resend-after");
        positive(deadLetterCheckInterval, "dead-letter-check-interval");
        positive(sendTimeout, "send-timeout");
        if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
            throw new IllegalArgumentException(
                    "batchgate.queue.max-receive-count must be from 1 to 1000 (SQS), was " + maxReceiveCount);
        }
        if (visibilitySeconds < 0 || visibilitySeconds > 43_200) {
            throw new IllegalArgumentException(
                    "batchgate.queue.visibility-seconds must be from 0 to 43200 (12 h, SQS), was " + visibilitySeconds);
        }
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("batchgate.queue." + name + " must be positive, was " + value);
        }
    }

    /** The dead-letter queue's name. */
    public String deadLetterQueueName() {
        return deadLetterQueue.isBlank() ? name + "-dlq" : deadLetterQueue;
    }
}
