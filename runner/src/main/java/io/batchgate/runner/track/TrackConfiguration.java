package io.batchgate.runner.track;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.RunLedger;
import java.time.Clock;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class TrackConfiguration {

    @Bean
    AttemptTracker attemptTracker(
            RunLedger ledger,
            CurrentCatalog catalog,
            SpringBatchAttemptRecorder recorder,
            TransactionTemplate tx,
            Clock clock) {
        return new AttemptTracker(ledger, catalog, recorder, tx, clock);
    }

    /** Only a replica that runs tasks takes back the previous runner's attempts. */
    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    RunnerRecovery runnerRecovery(RunLedger ledger, RunLauncher launcher) {
        return new RunnerRecovery(ledger, launcher);
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    ApplicationRunner recoverActiveAttempts(RunnerRecovery recovery) {
        return args -> recovery.recover();
    }
}
