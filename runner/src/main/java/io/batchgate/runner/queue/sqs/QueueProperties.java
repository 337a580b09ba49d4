package io.batchgate.runner.queue.sqs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The launch queue (SQS, or ElasticMQ in the embedded default).
 *
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
        @DefaultValue("batchgate-runs") String name,
        @DefaultValue("false") boolean createIfMissing,
        @DefaultValue("1s") Duration relayInterval,
        @DefaultValue("5m") Duration resendAfter,
        @DefaultValue("") String deadLetterQueue,
        @DefaultValue("5") int maxReceiveCount,
        @DefaultValue("60") int visibilitySeconds,
        @DefaultValue("60s") Duration deadLetterCheckInterval,
        @DefaultValue("10s") Duration sendTimeout) {

    /** The dead-letter queue's name. */
    public String deadLetterQueueName() {
        return deadLetterQueue.isBlank() ? name + "-dlq" : deadLetterQueue;
    }
}
