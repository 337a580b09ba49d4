package io.batchgate.gateway.embedded;

import io.batchgate.runner.ledger.Outbox;
import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
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

    @Bean(destroyMethod = "stopAndWait")
    SQSRestServer elasticMq() {
        return SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    }

    @Bean
    SqsAsyncClient sqsAsyncClient(SQSRestServer elasticMq) {
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        log.info("embedded SQS-compatible queue (ElasticMQ) on http://127.0.0.1:{}", port);
        return SqsAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
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
