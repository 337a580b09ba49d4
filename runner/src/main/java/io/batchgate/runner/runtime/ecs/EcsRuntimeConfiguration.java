package io.batchgate.runner.runtime.ecs;

import io.batchgate.catalog.EcsTarget;
import io.batchgate.runner.aws.AwsClientSettings;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.AttemptLogs;
import io.batchgate.runner.logs.FinalDrains;
import io.batchgate.runner.logs.LogSources;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.quota.LaunchBucket;
import io.batchgate.runner.runtime.TaskExitSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import software.amazon.awssdk.services.ecs.EcsAsyncClientBuilder;
import tools.jackson.databind.json.JsonMapper;

/** The ECS runtime, on when {@code batchgate.runtime.ecs.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EcsRuntimeProperties.class)
@ConditionalOnProperty(name = "batchgate.runtime.ecs.enabled", havingValue = "true")
class EcsRuntimeConfiguration {

    @Bean(destroyMethod = "close")
    EcsAsyncClient ecsAsyncClient(EcsRuntimeProperties properties) {
        EcsAsyncClientBuilder builder = EcsAsyncClient.builder()
                // Throttling must reach batchgate's own limiter and infrastructure retries, not be
                // hidden in the SDK's; the tracking sweep repeats by itself.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        AwsClientSettings.apply(builder, properties.region(), properties.endpoint());
        return builder.build();
    }

    @Bean
    EcsTaskRuntime ecsTaskRuntime(
            EcsAsyncClient ecs,
            EcsRuntimeProperties properties,
            JdbcClient jdbc,
            TransactionTemplate tx,
            TaskExitSink exitSink,
            DerivedTaskDefinitions derived,
            Clock clock) {
        LaunchBucket bucket = new LaunchBucket(
                "ecs:run-task",
                properties.launchRate(),
                properties.launchBurst(),
                properties.throttleRecovery(),
                jdbc,
                tx,
                clock);
        return new EcsTaskRuntime(ecs, properties, bucket, derived, exitSink, clock);
    }

    @Bean
    DerivedTaskDefinitions derivedTaskDefinitions(
            EcsAsyncClient ecs, EcsRuntimeProperties properties, JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        LaunchBucket bucket = new LaunchBucket(
                "ecs:register-task-definition",
                properties.registerRate(),
                properties.registerBurst(),
                properties.throttleRecovery(),
                jdbc,
                tx,
                clock);
        return new DerivedTaskDefinitions(ecs, jdbc, bucket, properties.permitWait(), clock);
    }

    /** Deregisters derived revisions unused for the retention; hourly is plenty for a retention in days. */
    @Bean
    @ConditionalOnRunner
    PeriodicLoop ecsDerivedTaskDefinitionSweeper(DerivedTaskDefinitions derived, EcsRuntimeProperties properties) {
        Duration interval = properties.derivedRetention().compareTo(Duration.ofHours(4)) < 0
                ? properties.derivedRetention().dividedBy(4)
                : Duration.ofHours(1);
        return new PeriodicLoop(
                "ecs-derived-task-definitions", interval, () -> derived.sweep(properties.derivedRetention()));
    }

    /** Clusters to scan are those the catalog's jobs use; the ledger knows which attempt a task belongs to. */
    @Bean
    EcsOrphanScanner ecsOrphanScanner(
            EcsAsyncClient ecs,
            EcsRuntimeProperties properties,
            CurrentCatalog catalog,
            RunLedger ledger,
            ObjectProvider<MeterRegistry> meters) {
        return new EcsOrphanScanner(
                ecs,
                () -> catalog.get().jobs().values().stream()
                        .flatMap(job -> job.ecs().stream())
                        .map(EcsTarget::cluster)
                        .collect(Collectors.toCollection(TreeSet::new)),
                new EcsTaskOwners(ledger),
                properties.stopOrphans(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    @ConditionalOnRunner
    EcsTaskTracker ecsTaskTracker(
            EcsTaskRuntime runtime,
            EcsOrphanScanner orphans,
            EcsRuntimeProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        return new EcsTaskTracker(runtime, orphans, properties, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** With CloudWatch Logs on, each ECS attempt's awslogs stream is recorded soon after its task starts. */
    @Bean
    @ConditionalOnProperty(name = "batchgate.logs.cloudwatch.enabled", havingValue = "true")
    PeriodicLoop ecsLogStreamRecorder(
            EcsAsyncClient ecs,
            CurrentCatalog catalog,
            AttemptLogs attemptLogs,
            EcsRuntimeProperties properties,
            Clock clock) {
        return new PeriodicLoop(
                "ecs-log-streams", properties.trackInterval(), new EcsLogStreams(ecs, catalog, attemptLogs, clock));
    }

    /**
     * With CloudWatch Logs on, an ended ECS attempt's log is drained in the background and marked
     * complete, whether or not anyone reads it (awslogs in blocking mode only: otherwise it has a warning).
     */
    @Bean
    @ConditionalOnProperty(name = "batchgate.logs.cloudwatch.enabled", havingValue = "true")
    @ConditionalOnRunner
    PeriodicLoop ecsFinalLogDrains(
            AttemptLogs attemptLogs,
            RunLedger ledger,
            LogSources sources,
            EcsRuntimeProperties properties,
            Clock clock) {
        return new PeriodicLoop(
                "ecs-final-log-drains",
                properties.trackInterval(),
                new FinalDrains(attemptLogs, ledger, sources, EcsTaskRuntime.NAME, clock));
    }

    @Bean
    @ConditionalOnExpression("!'${batchgate.runtime.ecs.events-queue:}'.isBlank()")
    EcsEventListener ecsEventListener(EcsTaskRuntime runtime, JsonMapper json) {
        return new EcsEventListener(runtime, json);
    }
}
