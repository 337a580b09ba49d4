package io.batchgate.runner.launch;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.runtime.TaskRuntime;
import io.batchgate.runner.slots.JobSlots;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InfraRetryProperties.class)
class LaunchConfiguration {

    @Bean
    TaskRuntimes taskRuntimes(List<TaskRuntime> runtimes, @Value("${batchgate.runtime.default:local}") String name) {
        return new TaskRuntimes(runtimes, name);
    }

    @Bean
    InfraRetryPolicy infraRetryPolicy(InfraRetryProperties properties) {
        return new InfraRetryPolicy(properties, new Random());
    }

    @Bean
    RunLauncher runLauncher(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            SpringBatchAttemptRecorder recorder,
            InfraRetryPolicy infraRetries,
            JobSlots jobSlots,
            @Value("${batchgate.launch.max-concurrent:0}") int maxConcurrent,
            @Value("${batchgate.launch.slot-recheck:2s}") Duration slotRecheck,
            TransactionTemplate tx,
            Clock clock) {
        return new RunLauncher(
                ledger,
                outbox,
                catalog,
                runtimes,
                recorder,
                infraRetries,
                jobSlots,
                maxConcurrent > 0 ? OptionalInt.of(maxConcurrent) : OptionalInt.empty(),
                slotRecheck,
                tx,
                clock);
    }
}
