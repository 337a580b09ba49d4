package io.batchgate.runner.queue.sqs;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Resolves the launch queue's URL once (creating the queue when configured to) and remembers it. */
public class QueueUrl {

    private final SqsAsyncClient sqs;
    private final QueueProperties properties;
    private final AtomicReference<String> url = new AtomicReference<>();

    public QueueUrl(SqsAsyncClient sqs, QueueProperties properties) {
        this.sqs = sqs;
        this.properties = properties;
    }

    /** Where the client sends its calls: the endpoint override, or SQS in the client's Region. */
    static String endpoint(SqsAsyncClient sqs) {
        return sqs.serviceClientConfiguration()
                .endpointOverride()
                .map(Object::toString)
                .orElseGet(() -> "SQS in " + sqs.serviceClientConfiguration().region());
    }

    public String get() {
        String known = url.get();
        if (known != null) {
            return known;
        }
        String resolved;
        if (properties.createIfMissing()) {
            resolved = createWithDeadLetterQueue();
        } else {
            try {
                resolved = sqs.getQueueUrl(r -> r.queueName(properties.name()))
                        .join()
                        .queueUrl();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof QueueDoesNotExistException) {
                    throw new IllegalStateException(
                            "the launch queue '" + properties.name() + "' does not exist"
                                    + " (create it, or set batchgate.queue.create-if-missing=true)",
                            e.getCause());
                }
                throw e;
            }
        }
        url.set(resolved);
        return resolved;
    }

    /**
     * Creates the dead-letter queue and the launch queue, then sets the launch queue's redrive
     * policy and visibility timeout — also on a queue that already existed without them.
     */
    private String createWithDeadLetterQueue() {
        String dlqUrl = sqs.createQueue(r -> r.queueName(properties.deadLetterQueueName()))
                .join()
                .queueUrl();
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .join()
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                + properties.maxReceiveCount() + "\"}";
        String url = sqs.createQueue(r -> r.queueName(properties.name())).join().queueUrl();
        sqs.setQueueAttributes(r -> r.queueUrl(url)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                redrive,
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Integer.toString(properties.visibilitySeconds()))))
                .join();
        return url;
    }
}
