package io.batchgate.runner.queue.sqs;

import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
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

    public String get() {
        String known = url.get();
        if (known != null) {
            return known;
        }
        String resolved;
        if (properties.createIfMissing()) {
            resolved =
                    sqs.createQueue(r -> r.queueName(properties.name())).join().queueUrl();
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
}
