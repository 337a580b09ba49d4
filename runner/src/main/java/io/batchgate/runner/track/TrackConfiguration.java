package io.batchgate.runner.track;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.slots.JobSlots;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class TrackConfiguration {

    @Bean
    FullJitter retryJitter() {
        return new FullJitter(new Random());
    }

    @Bean
    AttemptTracker attemptTracker(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            SpringBatchAttemptRecorder recorder,
            FullJitter retryJitter,
            JobSlots jobSlots,
            TransactionTemplate tx,
            Clock clock) {
        return new AttemptTracker(ledger, outbox, catalog, recorder, retryJitter, jobSlots, tx, clock);
    }

    /** Only a replica that runs tasks takes back the previous runner's attempts. */
    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    RunnerRecovery runnerRecovery(RunLedger ledger, RunLauncher launcher) {
        return new RunnerRecovery(ledger, launcher);
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    ApplicationRunner recoverActiveAttempts(
            RunnerRecovery recovery, Clock clock, @Value("${batchgate.runner.launch-lease:2m}") Duration launchLease) {
        // LAUNCHING runs younger than the lease may be this runner's own (its queue listener
        // started before this runs) or another live replica's: only older ones are taken over
        return args -> recovery.recover(clock.instant().minus(launchLease));
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    WorkAdoption workAdoption(
            RunnerRecovery recovery,
            Outbox outbox,
            TransactionTemplate tx,
            Clock clock,
            @Value("${batchgate.runner.launch-lease:2m}") Duration launchLease) {
        return new WorkAdoption(recovery, outbox, tx, clock, launchLease);
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    PeriodicLoop workAdoptionLoop(
            WorkAdoption adoption, @Value("${batchgate.runner.adoption-interval:30s}") Duration interval) {
        return new PeriodicLoop("work-adoption", interval, adoption::adopt);
    }
}
