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
 */
@ConfigurationProperties("batchgate.queue")
public record QueueProperties(
        @DefaultValue("batchgate-runs") String name,
        @DefaultValue("false") boolean createIfMissing,
        @DefaultValue("1s") Duration relayInterval,
        @DefaultValue("5m") Duration resendAfter) {}
