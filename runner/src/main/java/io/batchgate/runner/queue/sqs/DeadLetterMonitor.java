package io.batchgate.runner.queue.sqs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads the dead-letter queue's depth on an interval for the {@code batchgate.queue.dead.letters}
 * gauge (never on a metrics scrape: that would make SQS calls per scrape), and logs when it grows.
 */
public class DeadLetterMonitor {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterMonitor.class);

    private final SqsAsyncClient sqs;
    private final QueueUrl launchQueue;
    private final QueueProperties properties;
    private final AtomicLong depth = new AtomicLong(-1);

    public DeadLetterMonitor(
            SqsAsyncClient sqs, QueueUrl launchQueue, QueueProperties properties, MeterRegistry meters) {
        this.sqs = sqs;
        this.launchQueue = launchQueue;
        this.properties = properties;
        Gauge.builder("batchgate.queue.dead.letters", depth, AtomicLong::get)
                .description("messages in the launch queue's dead-letter queue (-1: not read yet or no such queue)")
                .register(meters);
    }

    /** Reads the depth now; returns it (-1 if the queue does not exist). */
    public long check() {
        launchQueue.get(); // the dead-letter queue is created with the launch queue
        long now;
        try {
            String url = sqs.getQueueUrl(r -> r.queueName(properties.deadLetterQueueName()))
                    .join()
                    .queueUrl();
            now = Long.parseLong(sqs.getQueueAttributes(
                            r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .join()
                    .attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        } catch (java.util.concurrent.CompletionException e) {
            now = -1;
        }
        long before = depth.getAndSet(now);
        if (now > 0 && now != before) {
            log.warn(
                    "the dead-letter queue {} holds {} message(s) that no runner could process",
                    properties.deadLetterQueueName(),
                    now);
        }
        return now;
    }
}
