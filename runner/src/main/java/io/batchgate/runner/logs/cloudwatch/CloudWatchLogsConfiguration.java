package io.batchgate.runner.logs.cloudwatch;

import io.batchgate.runner.aws.AwsClientSettings;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.AttemptLogs;
import io.batchgate.runner.logs.LocalLogFiles;
import io.batchgate.runner.logs.LocalOutputForwarder;
import io.batchgate.runner.logs.LocalOutputStreams;
import io.batchgate.runner.logs.LogSource;
import io.batchgate.runner.logs.RunMessageForwarder;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.secrets.OutputScrubbers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/** CloudWatch Logs, on when {@code batchgate.logs.cloudwatch.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CloudWatchLogsProperties.class)
@ConditionalOnProperty(name = "batchgate.logs.cloudwatch.enabled", havingValue = "true")
class CloudWatchLogsConfiguration {

    @Bean(destroyMethod = "close")
    CloudWatchLogsClient cloudWatchLogsClient(CloudWatchLogsProperties properties) {
        // throttled PutLogEvents are retried by the forwarder's own backoff, which keeps the lines in order
        CloudWatchLogsClientBuilder builder = CloudWatchLogsClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        AwsClientSettings.apply(builder, properties.region(), properties.endpoint());
        return builder.build();
    }

    @Bean
    CloudWatchLogStore cloudWatchLogStore(CloudWatchLogsClient client, CloudWatchLogsProperties properties) {
        return new CloudWatchLogStore(
                client, new LogSource.Drain(properties.settle(), properties.drainPages(), properties.drainInterval()));
    }

    @Bean(destroyMethod = "close")
    CloudWatchLogForwarder cloudWatchLogForwarder(
            CloudWatchLogsClient client, CloudWatchLogsProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new CloudWatchLogForwarder(
                client,
                properties.bufferLines(),
                properties.retryInitial(),
                properties.retryMax(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** batchgate's own per-run messages (the run's timeline), on every replica that records transitions. */
    @Bean
    RunMessageForwarder runMessageForwarder(CloudWatchLogForwarder forwarder, CloudWatchLogsProperties properties) {
        return new RunMessageForwarder(forwarder, properties.logGroup());
    }

    /** The stream of every local attempt, recorded when it is claimed (see {@link LocalOutputStreams}). */
    @Bean
    LocalOutputStreams localOutputStreams(AttemptLogs attemptLogs, CloudWatchLogsProperties properties) {
        return new LocalOutputStreams(attemptLogs, properties.logGroup());
    }

    @Bean
    @ConditionalOnRunner
    PeriodicLoop localOutputForwarding(
            AttemptLogs attemptLogs,
            LocalLogFiles files,
            CloudWatchLogForwarder forwarder,
            CloudWatchLogsProperties properties,
            Clock clock,
            RunLedger ledger,
            OutputScrubbers scrubbers) {
        return new PeriodicLoop(
                "local-output-forwarder",
                properties.forwardInterval(),
                new LocalOutputForwarder(
                        attemptLogs,
                        files,
                        forwarder,
                        properties.logGroup(),
                        clock,
                        runId -> scrubbers.of(ledger.secretValues(runId))));
    }
}
