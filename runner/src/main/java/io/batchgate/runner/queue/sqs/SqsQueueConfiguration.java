package io.batchgate.runner.queue.sqs;

import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.startup.StartupWait;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
class SqsQueueConfiguration {

    /**
     * Resolves (or creates) the queue before the listener container starts: the container would
     * create a bare queue without redrive, and gives up at once on a queue that does not answer
     * yet. Start-up waits for it instead, up to {@code batchgate.startup.wait-limit}.
     */
    @Bean
    QueueUrl queueUrl(SqsAsyncClient sqs, QueueProperties properties, StartupWait startupWait) {
        QueueUrl url = new QueueUrl(sqs, properties);
        startupWait.until("the queue '" + properties.name() + "' at " + QueueUrl.endpoint(sqs), url::get);
        return url;
    }

    @Bean
    OutboxRelay outboxRelay(
            Outbox outbox, SqsAsyncClient sqs, QueueUrl queueUrl, QueueProperties properties, Clock clock) {
        return new OutboxRelay(outbox, sqs, queueUrl, properties, clock);
    }

    /** Only a replica that runs tasks consumes launch messages. */
    @Bean
    @ConditionalOnRunner
    RunMessageListener runMessageListener(RunLauncher launcher, JsonMapper json, ObjectProvider<MeterRegistry> meters) {
        return new RunMessageListener(launcher, json, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    DeadLetterMonitor deadLetterMonitor(
            SqsAsyncClient sqs,
            QueueUrl launchQueue,
            QueueProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        return new DeadLetterMonitor(sqs, launchQueue, properties, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    PeriodicLoop deadLetterLoop(DeadLetterMonitor monitor, QueueProperties properties) {
        return new PeriodicLoop("dead-letter-monitor", properties.deadLetterCheckInterval(), monitor::check);
    }
}
