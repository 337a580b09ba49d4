package io.batchgate.gateway.embedded;

import io.batchgate.runner.ledger.Outbox;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The embedded default's queue: ElasticMQ in this JVM, on a loopback port, spoken to by the same
 * SQS client code as real SQS. Its messages live in memory, so at start-up every unclaimed run in
 * the outbox is sent again — the outbox, not the queue, is what makes an accepted run durable.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "batchgate.queue.embedded", havingValue = "true")
class EmbeddedQueueConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedQueueConfiguration.class);

    /** Starts ElasticMQ and its client in the background, while the rest of the context starts. */
    @Bean
    static EmbeddedQueueStarter embeddedQueueStarter() {
        return new EmbeddedQueueStarter();
    }

    /** Stopped by {@link EmbeddedQueueStarter#destroy()}, after everything that uses it. */
    @Bean(destroyMethod = "")
    SQSRestServer elasticMq(EmbeddedQueueStarter starter) {
        return starter.server();
    }

    /** Closed by {@link EmbeddedQueueStarter#destroy()}. */
    @Bean(destroyMethod = "")
    SqsAsyncClient sqsAsyncClient(EmbeddedQueueStarter starter, SQSRestServer elasticMq) {
        log.info(
                "embedded SQS-compatible queue (ElasticMQ) on http://127.0.0.1:{}",
                elasticMq.waitUntilStarted().localAddress().getPort());
        return starter.client();
    }

    @Bean
    ApplicationRunner resendUnclaimedRuns(Outbox outbox) {
        return args -> {
            int rows = outbox.markAllUnsent();
            if (rows > 0) {
                log.info("the embedded queue starts empty: {} unclaimed runs will be sent again", rows);
            }
        };
    }
}
