package io.batchgate.runner.track;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.instance.RunnerProperties;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.launch.RunLauncher;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.slots.JobSlots;
import java.time.Clock;
import java.util.Random;
import org.springframework.boot.ApplicationRunner;
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
    @ConditionalOnRunner
    RunnerRecovery runnerRecovery(RunLedger ledger, RunLauncher launcher) {
        return new RunnerRecovery(ledger, launcher);
    }

    @Bean
    @ConditionalOnRunner
    ApplicationRunner recoverActiveAttempts(RunnerRecovery recovery, Clock clock, RunnerProperties properties) {
        // LAUNCHING runs younger than the lease may be this runner's own (its queue listener
        // started before this runs) or another live replica's: only older ones are taken over
        return args -> recovery.recover(clock.instant().minus(properties.launchLease()));
    }

    @Bean
    @ConditionalOnRunner
    WorkAdoption workAdoption(
            RunnerRecovery recovery, Outbox outbox, TransactionTemplate tx, Clock clock, RunnerProperties properties) {
        return new WorkAdoption(recovery, outbox, tx, clock, properties.launchLease());
    }

    @Bean
    @ConditionalOnRunner
    PeriodicLoop workAdoptionLoop(WorkAdoption adoption, RunnerProperties properties) {
        return new PeriodicLoop("work-adoption", properties.adoptionInterval(), adoption::adopt);
    }
}
