package io.batchgate.runner.launch;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.runtime.RuntimeProperties;
import io.batchgate.runner.runtime.TaskRuntime;
import io.batchgate.runner.slots.JobSlots;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({InfraRetryProperties.class, LaunchProperties.class, RuntimeProperties.class})
class LaunchConfiguration {

    @Bean
    TaskRuntimes taskRuntimes(List<TaskRuntime> runtimes, RuntimeProperties properties) {
        return new TaskRuntimes(runtimes, properties.defaultRuntime());
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
            LaunchProperties properties,
            FullJitter retryJitter,
            ObjectProvider<MeterRegistry> meters,
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
                properties.globalCap(),
                properties.slotRecheck(),
                retryJitter,
                new LaunchMeters(meters.getIfAvailable(SimpleMeterRegistry::new)),
                tx,
                clock);
    }
}
